// Validates Kubernetes objects against the published schemas of their kinds, with the
// `kubernetes-models` and `@kubernetes-models/argo-rollouts` packages (ESM only, so tests run
// this script with Node instead of importing it into Jest).
//
//   node validateKubernetesObjects.mjs < objects.json
//
// Reads a JSON array of objects; prints a JSON array with, per object, `null` when it is valid
// or the validation error's message; exits 1 when a kind has no published schema here.
import * as core from 'kubernetes-models/v1';
import * as apps from 'kubernetes-models/apps/v1';
import * as policy from 'kubernetes-models/policy/v1';
import * as scheduling from 'kubernetes-models/scheduling.k8s.io/v1';
import * as autoscaling from 'kubernetes-models/autoscaling/v2';
import * as networking from 'kubernetes-models/networking.k8s.io/v1';
import * as rbac from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import * as rollouts from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1';

const GROUPS = {
  v1: core,
  'apps/v1': apps,
  'policy/v1': policy,
  'scheduling.k8s.io/v1': scheduling,
  'autoscaling/v2': autoscaling,
  'networking.k8s.io/v1': networking,
  'rbac.authorization.k8s.io/v1': rbac,
  'argoproj.io/v1alpha1': rollouts,
};

let input = '';
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const object of JSON.parse(input)) {
  const Model = GROUPS[object.apiVersion]?.[object.kind];
  if (typeof Model !== 'function') {
    console.error(
      `no published schema for ${object.apiVersion} ${object.kind}`,
    );
    process.exit(1);
  }
  try {
    new Model(object).validate();
    results.push(null);
  } catch (error) {
    results.push(String(error.message ?? error));
  }
}
process.stdout.write(JSON.stringify(results));
