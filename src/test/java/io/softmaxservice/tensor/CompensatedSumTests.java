package io.softmaxservice.tensor;

import java.math.BigDecimal;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Neumaier's sum keeps what plain addition rounds away, whichever of the running sum and
 * the term is the larger: the exact sum, rounded once, for sums whose terms cancel.
 */
class CompensatedSumTests {

	@Test
	void valueOfNoTermsIsZero() {
		assertThat(new CompensatedSum().value()).isEqualTo(0.0);
	}

	@Test
	void valueKeepsASmallTermAddedAfterALargeOne() {
		// 1e100 + 1 rounds to 1e100; the 1 is kept in the compensation.
		assertThat(sum(1e100, 1.0, -1e100)).isEqualTo(1.0);
		assertThat(1e100 + 1.0 - 1e100).isEqualTo(0.0);
	}

	@Test
	void valueKeepsASmallRunningSumWhenALargeTermArrives() {
		// The running sum (1) is the smaller one: Kahan's sum, which assumes the
		// opposite,
		// loses it here.
		assertThat(sum(1.0, 1e100, -1e100)).isEqualTo(1.0);
		assertThat(sum(3.0, -1e100, 1e100, 4.0)).isEqualTo(7.0);
	}

	@Test
	void valueOfTermsOfEqualMagnitudeIsExact() {
		assertThat(sum(0x1p53, 1.0, 1.0)).isEqualTo(0x1p53 + 2.0);
		assertThat(0x1p53 + 1.0 + 1.0).isEqualTo(0x1p53);
	}

	@Test
	void valueIsTheExactSumRoundedOnceForManyTerms() {
		Random random = new Random(42);
		CompensatedSum sum = new CompensatedSum();
		BigDecimal exact = BigDecimal.ZERO;
		double naive = 0;
		for (int i = 0; i < 1_000_000; i++) {
			double term = random.nextDouble() * Math.pow(10, random.nextInt(9) - 4) * (random.nextBoolean() ? 1 : -1);
			sum.add(term);
			naive += term;
			exact = exact.add(new BigDecimal(term));
		}
		double rounded = exact.doubleValue();
		assertThat(Math.abs(sum.value() - rounded)).isLessThanOrEqualTo(Math.ulp(rounded));
		assertThat(Math.abs(naive - rounded)).isGreaterThan(8 * Math.ulp(rounded));
	}

	private static double sum(double... terms) {
		CompensatedSum sum = new CompensatedSum();
		for (double term : terms) {
			sum.add(term);
		}
		return sum.value();
	}

}
