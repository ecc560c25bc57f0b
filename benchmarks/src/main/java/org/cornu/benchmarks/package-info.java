/**
 * The JMH suite and standalone comparisons that run Cornu beside DL4J on the same models and data
 * ({@code Bench} is the launcher). Not a library.
 */
package org.cornu.benchmarks;
