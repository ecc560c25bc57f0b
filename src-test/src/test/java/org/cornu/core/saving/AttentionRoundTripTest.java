package org.cornu.core.saving;

import static org.cornu.core.saving.SavingTestSupport.assertSame;
import static org.cornu.core.saving.SavingTestSupport.assertSameWeights;
import static org.cornu.core.saving.SavingTestSupport.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.cornu.core.Input;
import org.cornu.core.KerasTensor;
import org.cornu.core.Model;
import org.cornu.layers.AdditiveAttention;
import org.cornu.layers.Attention;
import org.cornu.layers.MultiHeadAttention;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Attention layers in a .keras file: Keras's call args/kwargs, MHA's build_config and sub-object variable groups. */
class AttentionRoundTripTest {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void attentionModelRoundTripsWithKerasNodesAndGroups() throws Exception {
        KerasTensor q = Input.of("q", 4, 6), v = Input.of("v", 5, 6), k = Input.of("k", 5, 3);
        KerasTensor o1 = new MultiHeadAttention(2, 3).useCausalMask(true).biasInitializer("random_normal").name("mha")
                .apply(List.of(q, v, k));
        List<KerasTensor> o2 = new MultiHeadAttention(2, 3).valueDim(4).outputShape(7).returnAttentionScores(true).name("mha2")
                .applyAll(List.of(q, v));
        KerasTensor o3 = new Attention().useScale(true).scoreMode("concat").useCausalMask(true).name("att").apply(List.of(q, v));
        KerasTensor o4 = new AdditiveAttention().name("add_att").apply(List.of(q, v, v));
        Model m = new Model(List.of(q, v, k), List.of(o1, o2.get(0), o2.get(1), o3, o4), "attn");
        Path file = dir.resolve("attn.keras");
        m.save(file);
        assertEquals(19, KerasFileCheck.check(file), "variables checked: 8 + 8 (MHA), 2 (Attention), 1 (AdditiveAttention)");

        // the nodes as Keras 3.15.1 writes them (see make_keras315_files.py / a model.save of the same graph)
        Map<String, Object> cfg = new ObjectMapper().readValue(SavingTestSupport.zipEntries(file).get("config.json"), Map.class);
        Map<String, Map<String, Object>> byName = new java.util.HashMap<>();
        for (Object o : (List<Object>) ((Map<String, Object>) cfg.get("config")).get("layers")) {
            Map<String, Object> l = (Map<String, Object>) o;
            byName.put((String) l.get("name"), l);
        }
        Map<String, Object> mhaNode = (Map<String, Object>) ((List<Object>) byName.get("mha").get("inbound_nodes")).get(0);
        assertEquals(2, ((List<Object>) mhaNode.get("args")).size(), "args [query, value]");
        Map<String, Object> kw = (Map<String, Object>) mhaNode.get("kwargs");
        assertEquals(List.of("key", "use_causal_mask"), List.copyOf(kw.keySet()));
        assertEquals(Map.of("shapes_dict", Map.of("query_shape", java.util.Arrays.asList(null, 4, 6),
                "value_shape", java.util.Arrays.asList(null, 5, 6), "key_shape", java.util.Arrays.asList(null, 5, 3))),
                byName.get("mha").get("build_config"));
        Map<String, Object> attNode = (Map<String, Object>) ((List<Object>) byName.get("att").get("inbound_nodes")).get(0);
        assertEquals(1, ((List<Object>) attNode.get("args")).size(), "args [[query, value]]");
        assertEquals(Map.of("use_causal_mask", true), attNode.get("kwargs"));
        assertEquals(Map.of("return_attention_scores", true),
                ((Map<String, Object>) ((List<Object>) byName.get("mha2").get("inbound_nodes")).get(0)).get("kwargs"));

        Model r = Models.loadModel(file);
        assertSameWeights(m, r);
        INDArray[] x = {data(1, 3, 4, 6), data(2, 3, 5, 6), data(3, 3, 5, 3)};
        INDArray[] a = m.predictAll(x, new org.cornu.core.training.RunOptions().verbose(0));
        INDArray[] b = r.predictAll(x, new org.cornu.core.training.RunOptions().verbose(0));
        assertEquals(5, b.length);
        for (int i = 0; i < a.length; i++) assertSame(a[i], b[i], "output " + i + " after loading");
        for (int i = 0; i < m.layers().size(); i++) {
            assertEquals(m.layers().get(i).getConfig(), r.layers().get(i).getConfig(), "config of " + m.layers().get(i).name());
        }
        assertTrue(((MultiHeadAttention) r.getLayer("mha")).useCausalMask(), "use_causal_mask restored from the node's kwargs");
        assertTrue(((Attention) r.getLayer("att")).useCausalMask());
    }
}
