package io.softmaxservice.numpy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import io.softmaxservice.GoldenCases;
import tools.jackson.databind.JsonNode;

/**
 * The files made by {@code src/test/python/numpy_fixtures.py} with NumPy, and what NumPy
 * says they hold.
 */
final class NumpyFixtures {

	static final JsonNode EXPECTED = GoldenCases.JSON.readTree(bytes("fixtures.json"));

	private NumpyFixtures() {
	}

	static byte[] bytes(String name) {
		try (InputStream in = NumpyFixtures.class.getResourceAsStream("/numpy/" + name)) {
			if (in == null) {
				throw new IllegalStateException("No fixture numpy/" + name);
			}
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static int[] shape(String name) {
		JsonNode shape = EXPECTED.get(name).get("shape");
		int[] dims = new int[shape.size()];
		for (int i = 0; i < dims.length; i++) {
			dims[i] = shape.get(i).asInt();
		}
		return dims;
	}

	static double[] values(JsonNode list) {
		double[] values = new double[list.size()];
		for (int i = 0; i < values.length; i++) {
			values[i] = list.get(i).asDouble();
		}
		return values;
	}

	static double[] values(String name) {
		return values(EXPECTED.get(name).get("values"));
	}

}
