import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { createAccountsRepository } from './auth/accounts-repository.js';
import { createAuthService } from './auth/auth-service.js';
import {
  createLoginThrottle,
  defaultThrottlePolicy,
  registrationThrottlePolicy,
  type ThrottlePolicy,
} from './auth/login-throttle.js';
import { loadCommonPasswords } from './auth/password-policy.js';
import { cacheSessions } from './auth/session-cache.js';
import { createSessionContext } from './auth/session-context.js';
import { createSessionsRepository } from './auth/sessions-repository.js';
import type { Database } from './db/database.js';
import { problemMediaTypes } from './http/api-responses.js';
import { apiRoutes } from './http/api-routes.js';
import { AppError } from './http/app-error.js';
import { refuseEncodedBodies } from './http/content-encoding.js';
import { sendError } from './http/error-response.js';
import { answerParserError, answerRouterError, maxParamLength } from './http/framework-errors.js';
import { decorateMatchedRoute } from './http/matched-route.js';
import { type ProxyTrustSetting, proxyTrust } from './http/proxy-trust.js';
import { publicServerFactory } from './http/public-server.js';
import { addSecurityHeaders } from './http/security-headers.js';
import type { TypedApp } from './http/typed-app.js';
import { strictValidatorCompiler } from './http/validator.js';
import { type ClickCounter, createClickCounter } from './links/click-counter.js';
import { createLinksRepository } from './links/links-repository.js';
import { createLinksService } from './links/links-service.js';
import { createRedirectCache } from './links/redirect-cache.js';
import { redirectRoute } from './links/redirect-route.js';
import { createWarmRedirect } from './links/warm-redirect.js';
import { createFaultSwitch, type FaultSwitch } from './ops/fault-switch.js';
import { injectFaults, recordHttpMetrics } from './ops/http-metrics.js';
import { createMetrics, type Metrics } from './ops/metrics.js';
import { createOpsServer } from './ops/ops-server.js';
import { type BuildInfo, probeRoutes } from './ops/probe-routes.js';
import { createReadiness, type ReadinessProbe } from './ops/readiness.js';
import { lazyChildLoggerFactory } from './telemetry/lazy-child-logger.js';
import { RequestLogController, warmRedirectLog } from './telemetry/request-log.js';
import { webRoutes } from './web/web-routes.js';

export interface AppOptions {
  db: Database;
  logger: Logger;
  sessionSecret: string;
  requiredSchemaVersion: number;
  build: BuildInfo;
  trustProxy?: ProxyTrustSetting;
  clickFlushIntervalMs?: number;
  faultInjection?: boolean;
  faultErrorRatio?: number;
  throttlePolicy?: ThrottlePolicy;
  registrationThrottlePolicy?: ThrottlePolicy;
  sessionTtlSeconds?: number;
}

export interface LinksApp {
  app: FastifyInstance;
  ops: FastifyInstance;
  clicks: ClickCounter;
  readiness: ReadinessProbe;
  metrics: Metrics;
  faults: FaultSwitch;
}

export const bodyLimitBytes = 16 * 1024;
const sessionTtlSeconds = 7 * 24 * 3600;

const notFound = new AppError('NOT_FOUND', 'Nothing here.');

/** Builds the public app and the ops server over one database; nothing listens until the caller says so. */
export const buildApp = async (options: AppOptions): Promise<LinksApp> => {
  const logger: FastifyBaseLogger = options.logger;
  const faults = createFaultSwitch(options.faultInjection ?? false, options.faultErrorRatio ?? 0);
  const linksRepository = createLinksRepository(options.db);
  const clicks = createClickCounter({
    write: (batches) => linksRepository.addClickBatches(batches),
    intervalMs: options.clickFlushIntervalMs ?? 1000,
    onFlush: (outcome, error) => {
      metrics.clickFlushes.inc({ outcome });
      if (error !== undefined)
        options.logger.warn({ err: error }, 'click flush failed; counts kept for the next flush');
    },
  });
  const readiness = createReadiness(options.db, options.requiredSchemaVersion, (error) =>
    options.logger.warn({ err: error }, 'not ready: database unreachable'),
  );
  const metrics = createMetrics({
    pool: () => options.db.stats(),
    poolMax: options.db.maxConnections,
    clicksPending: () => clicks.pending(),
    databaseUp: () => readiness.databaseUp(),
    version: options.build.version,
    gitSha: options.build.gitSha,
  });
  const auth = createAuthService({
    accounts: createAccountsRepository(options.db),
    sessions: cacheSessions(createSessionsRepository(options.db)),
    throttle: createLoginThrottle(options.db),
    throttlePolicy: options.throttlePolicy ?? defaultThrottlePolicy,
    registrationPolicy: options.registrationThrottlePolicy ?? registrationThrottlePolicy,
    commonPasswords: loadCommonPasswords(),
    sessionTtlSeconds: options.sessionTtlSeconds ?? sessionTtlSeconds,
    onLogin: (outcome) => metrics.logins.inc({ outcome }),
    onSignup: () => metrics.signups.inc(),
  });
  const links = createLinksService({
    links: linksRepository,
    clicks,
    cache: createRedirectCache(10_000, 10_000),
    onCreated: () => metrics.linksCreated.inc(),
    onRedirect: (outcome) => metrics.redirects.inc({ outcome }),
  });
  const logWarmRedirect = warmRedirectLog(options.logger);
  const warmRedirect = createWarmRedirect({
    resolveCached: (code) => links.resolveCached(code),
    onAnswered: (request, milliseconds) => {
      metrics.warmRedirect(milliseconds / 1000);
      logWarmRedirect(request, milliseconds);
    },
  });
  const app: TypedApp = Fastify({
    loggerInstance: logger,
    trustProxy: proxyTrust(options.trustProxy ?? false),
    bodyLimit: bodyLimitBytes,
    logController: new RequestLogController(options.logger),
    requestIdHeader: 'x-request-id',
    genReqId: () => crypto.randomUUID(),
    childLoggerFactory: lazyChildLoggerFactory,
    // With fault injection on, every request must meet the switch, so nothing is answered ahead of the app.
    serverFactory: publicServerFactory(faults.enabled ? () => false : warmRedirect.answer),
    return503OnClosing: true,
    routerOptions: { maxParamLength },
    // What the router and Node's parser refuse goes through the same error answer, headers and count.
    frameworkErrors: answerRouterError(metrics),
    clientErrorHandler: answerParserError(metrics),
    forceCloseConnections: 'idle',
  }).withTypeProvider<TypeBoxTypeProvider>();
  // TypeBox validates: bodies strictly (a number is not a string), query and params converted from text.
  app.setValidatorCompiler(strictValidatorCompiler);
  // Closing: every request from now on goes to the app, which answers 503 and closes the connection.
  app.addHook('preClose', (done) => {
    warmRedirect.stop();
    done();
  });
  const session = createSessionContext(auth, options.sessionSecret);

  app.decorateRequest('account', null);
  app.decorateRequest('authMethod', null);
  app.decorateRequest('sessionToken', null);
  decorateMatchedRoute(app);
  recordHttpMetrics(app, metrics);
  addSecurityHeaders(app);
  injectFaults(app, faults);
  refuseEncodedBodies(app);

  app.setErrorHandler((error, request, reply) => sendError(error, request, reply, session));
  app.setNotFoundHandler((request, reply) => sendError(notFound, request, reply, session));

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'links API', version: options.build.version },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          cookie: { type: 'apiKey', in: 'cookie', name: 'links_session' },
        },
      },
    },
    transformObject: (document) =>
      'openapiObject' in document ? problemMediaTypes(document.openapiObject) : document.swaggerObject,
  });

  await app.register(probeRoutes, { readiness, build: options.build });
  await app.register(apiRoutes, { prefix: '/api/v1', auth, links, session });
  await app.register(webRoutes, { auth, links, session });

  await app.register(redirectRoute, { links, session });

  const ops = createOpsServer({ metrics, faults, logger: options.logger });
  return { app, ops, clicks, readiness, metrics, faults };
};
