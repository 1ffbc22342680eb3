package io.softmaxservice.system;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.Schema;

/**
 * The tensor types of the OpenAPI document, as schemas that client generators can map. A
 * tensor is one of eight nested-array shapes (rank 1 to 8, numbers at the leaves) rather
 * than a recursive "array of numbers or of tensors": openapi-generator's Python clients
 * turn a recursive schema into a model that cannot read a rank-2 array, while each fixed
 * shape becomes a plain nested list. Fields that may also be a bare number
 * ({@code target}, {@code loss}) are one of a number and a tensor, never a type array.
 */
final class TensorSchemas {

	static final String TENSOR = "Tensor";

	static final String NUMBER_OR_TENSOR = "NumberOrTensor";

	static final String JACOBIAN = "Jacobian";

	static final String BOOLEAN_TENSOR = "BooleanTensor";

	private static final String REF = "#/components/schemas/";

	private static final int MAX_RANK = 8;

	private TensorSchemas() {
	}

	/**
	 * The schema of a tensor-typed field, before {@link #addTo} gives the narrower ones
	 * their own types.
	 * @return a reference to the tensor schema
	 */
	static Schema<?> tensorReference() {
		return new Schema<>().$ref(REF + TENSOR);
	}

	/**
	 * The schema of a {@code mask} field.
	 * @return a reference to the boolean tensor schema
	 */
	static Schema<?> maskReference() {
		return new Schema<>().$ref(REF + BOOLEAN_TENSOR);
	}

	/**
	 * Adds the tensor schemas to the document and gives each field its type: a number or
	 * a tensor for {@code target} and {@code loss}, the Jacobian's shapes for
	 * {@code jacobian}, booleans for {@code mask}, and {@code temperature}'s exclusive
	 * minimum of 0 (which annotations cannot express: they drop a bound of 0).
	 * @param openApi the document
	 */
	static void addTo(OpenAPI openApi) {
		Set<String> used = new HashSet<>();
		openApi.getComponents().getSchemas().values().forEach((schema) -> typeProperties(schema, used));
		openApi.getComponents()
			.addSchemas(TENSOR, shapes("A tensor: nested JSON arrays of numbers, rank 1 to 8, rectangular (all arrays "
					+ "at one depth have the same length), no dimension of length 0. Numbers may be any JSON number, "
					+ "or the tokens Infinity and -Infinity that Python's json module writes.", 1, MAX_RANK, number()));
		if (used.contains(NUMBER_OR_TENSOR)) {
			openApi.getComponents()
				.addSchemas(NUMBER_OR_TENSOR,
						new Schema<>().description("A single number (a rank-0 tensor) or a tensor.")
							.oneOf(List.of(number(), new Schema<>().$ref(REF + TENSOR))));
		}
		if (used.contains(JACOBIAN)) {
			openApi.getComponents()
				.addSchemas(JACOBIAN,
						shapes("A Jacobian: nested JSON arrays of numbers, rank 2 to 9 (the point's shape without "
								+ "the axis, followed by [C, C]).", 2, MAX_RANK + 1, number()));
		}
		if (used.contains(BOOLEAN_TENSOR)) {
			openApi.getComponents()
				.addSchemas(BOOLEAN_TENSOR,
						shapes("A boolean tensor: nested JSON arrays of true and false, rank 1 "
								+ "to 8, rectangular, shaped like the tensor it masks.", 1, MAX_RANK,
								typed("boolean")));
		}
		if (openApi.getPaths() != null) {
			openApi.getPaths()
				.values()
				.forEach((path) -> path.readOperations()
					.stream()
					.filter((operation) -> operation.getParameters() != null)
					.forEach((operation) -> operation.getParameters()
						.stream()
						.filter((parameter) -> "temperature".equals(parameter.getName()))
						.forEach((parameter) -> positive(parameter.getSchema()))));
		}
	}

	private static void typeProperties(Schema<?> schema, Set<String> used) {
		Map<String, Schema> properties = schema.getProperties();
		if (properties == null) {
			return;
		}
		properties.replaceAll((name, property) -> switch (name) {
			case "target", "loss" -> retyped(property, NUMBER_OR_TENSOR, used);
			case "jacobian" -> retyped(property, JACOBIAN, used);
			case "mask" -> retyped(property, BOOLEAN_TENSOR, used);
			case "temperature" -> positive(property);
			default -> property;
		});
	}

	/**
	 * A tensor field with a narrower tensor type: a reference with the field's own
	 * description and example.
	 */
	private static Schema<?> retyped(Schema<?> property, String type, Set<String> used) {
		if (property.get$ref() == null && property.getItems() == null && property.getOneOf() == null) {
			return property;
		}
		used.add(type);
		Schema<?> reference = new Schema<>().$ref(REF + type).description(property.getDescription());
		if (property.getExample() != null) {
			reference.example(property.getExample());
		}
		return reference;
	}

	private static Schema<?> positive(Schema<?> schema) {
		if (schema != null) {
			schema.exclusiveMinimumValue(BigDecimal.ZERO);
		}
		return schema;
	}

	private static Schema<?> shapes(String description, int lowestRank, int highestRank, Schema<?> leaf) {
		List<Schema> ranks = new ArrayList<>();
		for (int rank = lowestRank; rank <= highestRank; rank++) {
			Schema<?> shape = leaf;
			for (int depth = 0; depth < rank; depth++) {
				shape = typed("array").items(shape).minItems(1);
			}
			ranks.add(shape);
		}
		return new Schema<>().description(description).oneOf(ranks);
	}

	private static Schema<?> number() {
		return typed("number").format("double");
	}

	private static Schema<?> typed(String type) {
		Schema<?> schema = new Schema<>().types(Set.of(type));
		schema.setType(type);
		return schema;
	}

}
