package org.cornu.core.callbacks;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Locale;
import org.cornu.core.Optimizer;

/** Helpers shared by the callbacks. */
final class CallbackUtils {
    private CallbackUtils() {}

    /** Where {@link #printMsg} writes; null means {@code System.out} as it is at the time of the call. Set by tests. */
    static volatile PrintStream console;

    /**
     * Keras's {@code io_utils.print_msg}: a callback's {@code verbose} message, written to standard
     * output (not to the logging system), followed by a line break and flushed.
     */
    static void printMsg(String message) {
        PrintStream o = console != null ? console : System.out;
        o.print(message + "\n");
        o.flush();
    }

    /** Python's {@code f"{v:.5f}"}: five decimals, and {@code inf}, {@code -inf}, {@code nan} as Python writes them. */
    static String f5(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        return String.format(Locale.ROOT, "%.5f", v);
    }

    /** Sets a constant rate; refuses, as Keras does, an optimizer driven by a {@code LearningRateSchedule}. */
    static void setLearningRate(Optimizer opt, double lr, String who) {
        if (opt.schedule() != null) {
            throw new IllegalStateException(who + ": optimizer \"" + opt.name() + "\" was created with a LearningRateSchedule ("
                    + opt.schedule().name() + ") as its learning rate, hence its learning rate is not settable."
                    + " Give the optimizer a constant learning rate to use this callback.");
        }
        opt.learningRate(lr);
    }

    /**
     * {@code v} as Python's {@code repr(float)} writes it: the shortest digits that read back as
     * {@code v}, positional for exponents -4 to 15 ({@code 0.0001}, {@code 12.0}), otherwise
     * scientific with a signed two-digit exponent ({@code 1e-05}, {@code 1.5e+16}).
     */
    static String pyRepr(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return 1 / v < 0 ? "-0.0" : "0.0";
        BigDecimal exact = new BigDecimal(v);
        BigDecimal d = null;
        for (int p = 1; p <= 17; p++) {
            BigDecimal r = exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == v) {
                d = r;
                break;
            }
        }
        if (d == null) d = exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
        d = d.stripTrailingZeros();
        String digits = d.unscaledValue().abs().toString();
        int exp = digits.length() - 1 - d.scale();
        StringBuilder b = new StringBuilder(v < 0 ? "-" : "");
        if (exp >= -4 && exp < 16) {
            if (exp >= 0) {
                if (digits.length() <= exp + 1) {
                    b.append(digits).append("0".repeat(exp + 1 - digits.length())).append(".0");
                } else {
                    b.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, digits.length());
                }
            } else {
                b.append("0.").append("0".repeat(-exp - 1)).append(digits);
            }
        } else {
            b.append(digits.charAt(0));
            if (digits.length() > 1) b.append('.').append(digits, 1, digits.length());
            b.append('e').append(exp < 0 ? '-' : '+');
            int a = Math.abs(exp);
            if (a < 10) b.append('0');
            b.append(a);
        }
        return b.toString();
    }
}
