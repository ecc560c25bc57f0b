package org.cornu.core.kernels;

import org.cornu.core.FastPaths;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.memory.conf.WorkspaceConfiguration;
import org.nd4j.linalg.api.memory.enums.AllocationPolicy;
import org.nd4j.linalg.api.memory.enums.LearningPolicy;
import org.nd4j.linalg.api.memory.enums.ResetPolicy;
import org.nd4j.linalg.api.memory.enums.SpillPolicy;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J workspaces for the steps of fit, evaluate and predict: every temporary of a step
 * (activations, gradients, optimizer scratch) comes from an arena that is reused from step to
 * step, instead of fresh native buffers that only the garbage collector frees. Anything that
 * outlives a step (weights, optimizer slots, results) is allocated {@link #outside()}.
 * Set the system property {@code cornu.workspaces=false} to turn them off.
 */
public final class Workspaces {
    public static final String TRAIN = "CORNU_TRAIN_STEP";
    public static final String TEST = "CORNU_TEST_STEP";
    public static final String PREDICT = "CORNU_PREDICT_STEP";
    private static final boolean ENABLED = FastPaths.WORKSPACES.enabled();

    private static final WorkspaceConfiguration CONF = WorkspaceConfiguration.builder()
            .initialSize(0)
            .overallocationLimit(0.2)
            .policyAllocation(AllocationPolicy.OVERALLOCATE)
            .policyLearning(LearningPolicy.FIRST_LOOP)
            .policyReset(ResetPolicy.BLOCK_LEFT)
            .policySpill(SpillPolicy.REALLOCATE)
            .build();

    private Workspaces() {}

    /** Opens the workspace {@code id} for one step (a no-op scope when workspaces are off). */
    public static MemoryWorkspace step(String id) {
        if (!ENABLED) return Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
        return Nd4j.getWorkspaceManager().getAndActivateWorkspace(CONF, id);
    }

    /** A scope whose allocations outlive the current step (weights, slots, results). */
    public static MemoryWorkspace outside() {
        return Nd4j.getWorkspaceManager().scopeOutOfWorkspaces();
    }
}
