import fs from 'node:fs';
import path from 'node:path';
import express from 'express';
import {
  AwsCredentialIssuer,
  SANDBOX_TEST_CREDENTIALS,
} from './AwsCredentialIssuer';
import { ClusterAuthenticator } from './ClusterAuthenticator';
import { GoogleAccessTokens } from './GoogleAccessTokens';
import { IdentityKeys } from './IdentityKeys';
import { createMetadataRouter } from './metadataRouter';
import { STS_AUDIENCE, WebIdentityRole, createStsRouter } from './stsRouter';
import { WebIdentityIssuer } from './WebIdentityIssuer';
import type { RequestStats } from '../RequestStats';

/** The AWS account of the simulated fleet (as the IRSA annotations of its service accounts). */
const AWS_ACCOUNT_ID = '123456789012';
/** The Google Cloud project of the simulated fleet. */
const GCP_PROJECT_ID = 'omnivision-prod';
const GCP_PROJECT_NUMBER = '482105663197';
/** The portal's workload: namespace and service account of its pods. */
const PORTAL_NAMESPACE = 'omnivision';
const PORTAL_SERVICE_ACCOUNT = 'omnivision-portal';
const WEB_IDENTITY_TOKEN_LIFETIME_S = 24 * 60 * 60;
/** The kubelet rotates a projected token well before it ends; the sandbox rewrites it hourly. */
const WEB_IDENTITY_TOKEN_REFRESH_MS = 60 * 60 * 1000;

/** The cloud identity settings the portal needs, as `/sandbox/endpoints` publishes them. */
export interface CloudIdentitySettings {
  aws: {
    accountId: string;
    region: string;
    /** The role the portal assumes with its web identity token (IRSA). */
    roleArn: string;
    roleSessionName: string;
    /** The projected-service-account-like token the sandbox writes (and rewrites hourly). */
    webIdentityTokenFile: string;
    /** The issuer of that token (`iss`), which serves `/.well-known/openid-configuration`. */
    oidcIssuer: string;
    /** The sandbox's STS (Query protocol, plain HTTP): `AWS_ENDPOINT_URL_STS`. */
    stsEndpoint: string;
    /** Long-term test credentials (an IAM user's key), for tests that sign without STS. */
    testCredentials: {
      accessKeyId: string;
      secretAccessKey: string;
      arn: string;
    };
  };
  gcp: {
    projectId: string;
    /** The Compute Engine metadata server, `host:port` as `GCE_METADATA_HOST` takes it. */
    metadataHost: string;
    serviceAccountEmail: string;
  };
  /** The environment of a backend that reads the clusters with cloud identity. */
  environment: Record<string, string>;
}

export interface CloudIdentityOptions {
  dataDir: string;
  stats: RequestStats;
  /** Epoch milliseconds. */
  now: () => number;
  /** The sandbox's plain HTTP base URL (STS, metadata) and its TLS one (the OIDC issuer). */
  url: () => string;
  kubeUrl: () => string;
  /** The region the backend signs for: the first EKS cluster's. */
  awsRegion: string;
}

/**
 * The cloud identities of the sandbox's fleet, as the portal's pods would have them on EKS
 * with IRSA and on GKE with workload identity: a web identity token (file) for an IAM role,
 * the sandbox's STS that exchanges it for temporary credentials, a Compute Engine metadata
 * server that hands out the Google service account's access tokens, and the authenticator of
 * the API servers that accepts them.
 */
export class CloudIdentity {
  readonly credentials: AwsCredentialIssuer;
  readonly googleTokens: GoogleAccessTokens;
  readonly webIdentity: WebIdentityIssuer;
  readonly authenticator: ClusterAuthenticator;
  readonly role: WebIdentityRole;
  readonly serviceAccountEmail = `${PORTAL_SERVICE_ACCOUNT}@${GCP_PROJECT_ID}.iam.gserviceaccount.com`;
  readonly #options: CloudIdentityOptions;
  readonly #dir: string;
  #refresh: NodeJS.Timeout | undefined;

  static open(options: CloudIdentityOptions): CloudIdentity {
    return new CloudIdentity(options);
  }

  private constructor(options: CloudIdentityOptions) {
    this.#options = options;
    this.#dir = path.join(options.dataDir, 'cloud-identity');
    const keys = IdentityKeys.open(this.#dir);
    this.credentials = new AwsCredentialIssuer(keys, AWS_ACCOUNT_ID);
    this.googleTokens = new GoogleAccessTokens(keys);
    this.webIdentity = new WebIdentityIssuer(
      keys,
      () => `${options.kubeUrl()}/oidc`,
    );
    this.authenticator = new ClusterAuthenticator(
      this.credentials,
      this.googleTokens,
      options.now,
    );
    this.role = {
      arn: `arn:aws:iam::${AWS_ACCOUNT_ID}:role/${PORTAL_SERVICE_ACCOUNT}`,
      subject: `system:serviceaccount:${PORTAL_NAMESPACE}:${PORTAL_SERVICE_ACCOUNT}`,
      maxSessionSeconds: 3600,
    };
    // The shared AWS config of the backend: empty, so that a developer's ~/.aws (a default
    // profile's keys) cannot take over from the web identity in the SDK's provider chain.
    fs.writeFileSync(
      this.awsConfigFile,
      "# The sandbox's AWS config for the portal's backend: empty on purpose (web identity only).\n",
    );
  }

  get webIdentityTokenFile(): string {
    return path.join(this.#dir, 'aws-web-identity-token');
  }

  get awsConfigFile(): string {
    return path.join(this.#dir, 'aws-config');
  }

  /** Writes a fresh web identity token for the portal's service account, as the kubelet does. */
  writeWebIdentityToken() {
    const token = this.webIdentity.issue(
      {
        sub: this.role.subject,
        aud: [STS_AUDIENCE],
        'kubernetes.io': {
          namespace: PORTAL_NAMESPACE,
          serviceaccount: {
            name: PORTAL_SERVICE_ACCOUNT,
            uid: '4f6c2b0e-8a51-4d1e-9b7a-2f0c6d3e1a90',
          },
        },
      },
      this.#options.now(),
      WEB_IDENTITY_TOKEN_LIFETIME_S,
    );
    const temp = `${this.webIdentityTokenFile}.${process.pid}.tmp`;
    fs.writeFileSync(temp, token, { mode: 0o600 });
    // A temp file left behind by an earlier run keeps its mode through writeFileSync.
    fs.chmodSync(temp, 0o600);
    fs.renameSync(temp, this.webIdentityTokenFile);
  }

  /** Once the sandbox listens (the issuer's URL is known): writes the token, and keeps it fresh. */
  start() {
    this.writeWebIdentityToken();
    this.#refresh = setInterval(
      () => this.writeWebIdentityToken(),
      WEB_IDENTITY_TOKEN_REFRESH_MS,
    );
    this.#refresh.unref();
  }

  stop() {
    clearInterval(this.#refresh);
  }

  /** `/sts`: the sandbox's AWS STS. */
  stsRouter(): express.Router {
    return createStsRouter({
      credentials: this.credentials,
      webIdentity: this.webIdentity,
      roles: [this.role],
      region: this.#options.awsRegion,
      stats: this.#options.stats,
      now: this.#options.now,
    });
  }

  /** `/computeMetadata`: the Compute Engine metadata server. */
  metadataRouter(): express.Router {
    return createMetadataRouter({
      projectId: GCP_PROJECT_ID,
      numericProjectId: GCP_PROJECT_NUMBER,
      serviceAccountEmail: this.serviceAccountEmail,
      zone: 'europe-west1-b',
      tokens: this.googleTokens,
      stats: this.#options.stats,
      now: this.#options.now,
    });
  }

  /** `/oidc`: the OIDC issuer's discovery document and keys, as an IAM OIDC provider reads them. */
  oidcRouter(): express.Router {
    const router = express.Router();
    router.get('/.well-known/openid-configuration', (_req, res) => {
      res.json(this.webIdentity.discovery());
    });
    router.get('/keys', (_req, res) => {
      res.json(this.webIdentity.jwks());
    });
    return router;
  }

  settings(): CloudIdentitySettings {
    const url = this.#options.url();
    const stsEndpoint = `${url}/sts`;
    const metadataHost = url.replace(/^http:\/\//, '');
    const aws = {
      accountId: AWS_ACCOUNT_ID,
      region: this.#options.awsRegion,
      roleArn: this.role.arn,
      roleSessionName: PORTAL_SERVICE_ACCOUNT,
      webIdentityTokenFile: this.webIdentityTokenFile,
      oidcIssuer: this.webIdentity.issuerUrl,
      stsEndpoint,
      testCredentials: {
        accessKeyId: SANDBOX_TEST_CREDENTIALS.accessKeyId,
        secretAccessKey: SANDBOX_TEST_CREDENTIALS.secretAccessKey,
        arn: this.credentials.testUser.arn,
      },
    };
    return {
      aws,
      gcp: {
        projectId: GCP_PROJECT_ID,
        metadataHost,
        serviceAccountEmail: this.serviceAccountEmail,
      },
      environment: {
        // AWS SDK v3's default chain: web identity (no keys, profiles or EC2 metadata) with
        // the sandbox's STS (the service-specific endpoint variable).
        AWS_ROLE_ARN: aws.roleArn,
        AWS_ROLE_SESSION_NAME: aws.roleSessionName,
        AWS_WEB_IDENTITY_TOKEN_FILE: aws.webIdentityTokenFile,
        AWS_REGION: aws.region,
        AWS_ENDPOINT_URL_STS: stsEndpoint,
        AWS_CONFIG_FILE: this.awsConfigFile,
        AWS_SHARED_CREDENTIALS_FILE: this.awsConfigFile,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_PROFILE: '',
        AWS_ACCESS_KEY_ID: '',
        AWS_SECRET_ACCESS_KEY: '',
        AWS_SESSION_TOKEN: '',
        AWS_CONTAINER_CREDENTIALS_FULL_URI: '',
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '',
        // google-auth-library's ADC: the metadata server (no key file), the project from here
        // (not from `gcloud config`).
        GCE_METADATA_HOST: metadataHost,
        METADATA_SERVER_DETECTION: 'assume-present',
        GOOGLE_CLOUD_PROJECT: GCP_PROJECT_ID,
        GOOGLE_APPLICATION_CREDENTIALS: '',
      },
    };
  }
}
