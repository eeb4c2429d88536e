import { KubeConfig } from '@kubernetes/client-node';

/** A client-node KubeConfig for one of the sandbox's API servers, as `/sandbox/endpoints` lists them. */
export function clusterKubeConfig(cluster: {
  url: string;
  token: string;
  caData: string;
}): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [{ name: 'c', server: cluster.url, caData: cluster.caData }],
    users: [{ name: 'u', token: cluster.token }],
    contexts: [{ name: 'ctx', cluster: 'c', user: 'u' }],
    currentContext: 'ctx',
  });
  return kc;
}
