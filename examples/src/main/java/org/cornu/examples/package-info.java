/**
 * The runnable examples of {@code cornu-examples.jar}, one per program of the book and the course
 * notes; {@code Examples} is the launcher. Not a library.
 */
package org.cornu.examples;
