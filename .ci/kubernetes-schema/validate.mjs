// Validates rendered Kubernetes manifests offline: node validate.mjs FILE.yaml...
// - built-in kinds against the Kubernetes API's JSON schemas (the kubernetes-models package);
// - KServe's InferenceService and InferenceGraph against a structural schema of the fields used here,
//   their containers, volumes and security contexts against the Kubernetes schemas;
// - the references between objects: Service, PodDisruptionBudget and HPA find the Deployment's pods.
import { readFileSync } from "node:fs";
import Ajv from "ajv";
import { parseAllDocuments } from "yaml";

const errors = [];
const objects = [];
for (const file of process.argv.slice(2)) {
  for (const document of parseAllDocuments(readFileSync(file, "utf8"))) {
    if (document.errors.length) {
      errors.push(`${file}: ${document.errors.map((e) => e.message).join("; ")}`);
    } else if (document.toJS()) {
      objects.push({ file, object: document.toJS() });
    }
  }
}

async function model(apiVersion, kind) {
  const path = apiVersion.includes("/") ? apiVersion : `v1`;
  try {
    return (await import(`kubernetes-models/${path}/${kind}`))[kind];
  } catch {
    return undefined;
  }
}

async function validateAs(apiVersion, kind, value, where) {
  const Model = await model(apiVersion, kind);
  if (!Model) {
    errors.push(`${where}: no schema for ${apiVersion} ${kind}`);
    return;
  }
  try {
    new Model(value).validate();
  } catch (error) {
    errors.push(`${where}: ${error.message}`);
  }
}

const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false });
const name = { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 63 };
const metadata = {
  type: "object",
  required: ["name"],
  properties: {
    name,
    namespace: name,
    labels: { type: "object", additionalProperties: { type: "string" } },
    annotations: { type: "object", additionalProperties: { type: "string" } },
  },
  additionalProperties: false,
};
const anything = {};
const kserve = {
  "serving.kserve.io/v1beta1 InferenceService": {
    type: "object",
    required: ["apiVersion", "kind", "metadata", "spec"],
    properties: {
      apiVersion: { const: "serving.kserve.io/v1beta1" },
      kind: { const: "InferenceService" },
      metadata,
      spec: {
        type: "object",
        required: ["predictor"],
        properties: {
          predictor: {
            type: "object",
            required: ["containers"],
            properties: {
              minReplicas: { type: "integer", minimum: 0 },
              maxReplicas: { type: "integer", minimum: 1 },
              scaleMetric: { enum: ["cpu", "memory", "concurrency", "rps"] },
              scaleTarget: { type: "integer", minimum: 1 },
              containerConcurrency: { type: "integer", minimum: 0 },
              timeout: { type: "integer", minimum: 1 },
              terminationGracePeriodSeconds: { type: "integer", minimum: 0 },
              serviceAccountName: name,
              securityContext: anything,
              containers: { type: "array", minItems: 1, items: anything },
              volumes: { type: "array", items: anything },
            },
            additionalProperties: false,
          },
        },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  },
  "serving.kserve.io/v1alpha1 InferenceGraph": {
    type: "object",
    required: ["apiVersion", "kind", "metadata", "spec"],
    properties: {
      apiVersion: { const: "serving.kserve.io/v1alpha1" },
      kind: { const: "InferenceGraph" },
      metadata,
      spec: {
        type: "object",
        required: ["nodes"],
        properties: {
          nodes: {
            type: "object",
            required: ["root"],
            additionalProperties: {
              type: "object",
              required: ["routerType", "steps"],
              properties: {
                routerType: { enum: ["Sequence", "Switch", "Ensemble", "Splitter"] },
                steps: {
                  type: "array",
                  minItems: 1,
                  items: {
                    type: "object",
                    properties: {
                      name: { type: "string" },
                      serviceName: name,
                      serviceUrl: { type: "string", pattern: "^https?://[^/]+/" },
                      nodeName: { type: "string" },
                      data: { enum: ["$request", "$response"] },
                      condition: { type: "string" },
                      weight: { type: "integer" },
                      dependency: { enum: ["Soft", "Hard"] },
                    },
                    oneOf: [{ required: ["serviceName"] }, { required: ["serviceUrl"] }, { required: ["nodeName"] }],
                    additionalProperties: false,
                  },
                },
              },
              additionalProperties: false,
            },
          },
          resources: anything,
          minReplicas: { type: "integer", minimum: 0 },
          maxReplicas: { type: "integer", minimum: 1 },
        },
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  },
};
const compiled = Object.fromEntries(Object.entries(kserve).map(([key, schema]) => [key, ajv.compile(schema)]));

for (const { file, object } of objects) {
  const where = `${file}: ${object.kind}/${object.metadata?.name}`;
  const key = `${object.apiVersion} ${object.kind}`;
  if (compiled[key]) {
    if (!compiled[key](object)) {
      errors.push(`${where}: ${ajv.errorsText(compiled[key].errors)}`);
      continue;
    }
    const predictor = object.spec.predictor;
    if (predictor) {
      for (const [i, container] of predictor.containers.entries()) {
        await validateAs("v1", "Container", container, `${where} containers[${i}]`);
      }
      for (const [i, volume] of (predictor.volumes ?? []).entries()) {
        await validateAs("v1", "Volume", volume, `${where} volumes[${i}]`);
      }
      if (predictor.securityContext) {
        await validateAs("v1", "PodSecurityContext", predictor.securityContext, `${where} securityContext`);
      }
    }
    if (object.spec.resources) {
      await validateAs("v1", "ResourceRequirements", object.spec.resources, `${where} resources`);
    }
  } else {
    await validateAs(object.apiVersion, object.kind, object, where);
  }
}

const matches = (selector, labels) =>
  Object.entries(selector ?? {}).every(([key, value]) => labels?.[key] === value);
for (const { file, object: deployment } of objects.filter((o) => o.object.kind === "Deployment")) {
  const labels = deployment.spec.template.metadata.labels;
  if (!matches(deployment.spec.selector.matchLabels, labels)) {
    errors.push(`${file}: Deployment/${deployment.metadata.name}: the selector does not match the pod labels`);
  }
  const same = objects.filter((o) => o.file === file).map((o) => o.object);
  for (const kind of ["Service", "PodDisruptionBudget", "HorizontalPodAutoscaler"]) {
    const found = same.filter((o) => o.kind === kind);
    if (found.length !== 1) {
      errors.push(`${file}: expected one ${kind} with the Deployment, found ${found.length}`);
    }
  }
  for (const other of same) {
    const selector = other.kind === "Service" ? other.spec.selector
      : other.kind === "PodDisruptionBudget" ? other.spec.selector.matchLabels : undefined;
    if (selector && !matches(selector, labels)) {
      errors.push(`${file}: ${other.kind}/${other.metadata.name} does not select the Deployment's pods`);
    }
    if (other.kind === "HorizontalPodAutoscaler" && other.spec.scaleTargetRef.name !== deployment.metadata.name) {
      errors.push(`${file}: HorizontalPodAutoscaler/${other.metadata.name} does not scale the Deployment`);
    }
  }
}

for (const { file, object } of objects) {
  console.log(`${errors.some((e) => e.startsWith(`${file}: ${object.kind}/`)) ? "INVALID" : "valid  "} ${file}: ${object.apiVersion} ${object.kind}/${object.metadata?.name}`);
}
if (errors.length || objects.length === 0) {
  console.error(errors.length ? errors.join("\n") : "no objects to validate");
  process.exit(1);
}
