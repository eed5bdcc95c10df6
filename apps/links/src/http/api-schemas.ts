import { type Static, Type } from 'typebox';
import { emailMaxLength } from '../auth/auth-service.js';
import { passwordMaxLength } from '../auth/password-policy.js';
import { codeMaxLength, codeMinLength, codePattern, urlMaxLength } from '../links/link-rules.js';

// Lengths here are generous outer bounds (in UTF-16 units); the domain rules give the precise messages.
export const Credentials = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: emailMaxLength + 10 }),
    password: Type.String({ minLength: 1, maxLength: passwordMaxLength * 2 }),
  },
  { additionalProperties: false },
);
export type Credentials = Static<typeof Credentials>;

export const AccountCreated = Type.Object(
  { email: Type.String() },
  { description: 'The account was created.' },
);

export const SessionCreated = Type.Object(
  {
    token: Type.String({ description: 'Send as `Authorization: Bearer <token>`.' }),
    expiresAt: Type.String({ format: 'date-time' }),
  },
  { description: 'Logged in; the session cookie is set too.' },
);

export const CurrentSession = Type.Object(
  {
    email: Type.String(),
    expiresAt: Type.String({ format: 'date-time' }),
    csrfToken: Type.String({
      description: 'Send as the x-csrf-token header on state-changing cookie-authenticated requests.',
    }),
  },
  { description: 'Who is calling, and the CSRF token for cookie-authenticated changes.' },
);

const linkProperties = {
  code: Type.String(),
  url: Type.String(),
  clicks: Type.Integer({ minimum: 0 }),
  createdAt: Type.String({ format: 'date-time' }),
};

export const LinkSchema = Type.Object(linkProperties, { description: 'The link.' });

export const LinkCreated = Type.Object(linkProperties, {
  description: 'The link was created.',
  headers: { Location: { type: 'string', description: "The new link's address in this API." } },
});

export const CreateLinkBody = Type.Object(
  {
    url: Type.String({ minLength: 1, maxLength: urlMaxLength + 100 }),
    code: Type.Optional(Type.String({ minLength: 1, maxLength: codeMaxLength + 10 })),
  },
  { additionalProperties: false },
);

export const ListLinksQuery = Type.Object(
  {
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, description: 'Page size, default 20.' })),
    cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 40 })),
  },
  { additionalProperties: false },
);

export const defaultPageSize = 20;

export const LinkPageSchema = Type.Object(
  {
    items: Type.Array(Type.Object(linkProperties)),
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description: 'Pass as `cursor` for the next (older) page; null on the last page.',
    }),
  },
  { description: 'One page of your links, newest first.' },
);

/** The code as links are made: a code of any other shape is refused (400) before any lookup. */
export const CodeParams = Type.Object({
  code: Type.String({ minLength: codeMinLength, maxLength: codeMaxLength, pattern: codePattern.source }),
});

/** Documents (and types) the CSRF header; whether it is required depends on how the caller authenticated. */
export const CsrfHeaders = Type.Object({
  'x-csrf-token': Type.Optional(
    Type.String({
      description:
        'Required with the session cookie (not with a bearer token): the csrfToken from GET /api/v1/sessions/current. Missing or wrong: 403 CSRF_REJECTED.',
    }),
  ),
});

export const NoContent = (description: string) => Type.Null({ description });
