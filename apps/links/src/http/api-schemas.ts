import { type Static, Type } from 'typebox';
import { emailMaxLength } from '../auth/auth-service.js';
import { passwordMaxLength } from '../auth/password-policy.js';
import { codeMaxLength, urlMaxLength } from '../links/link-rules.js';

// Lengths here are generous outer bounds (in UTF-16 units); the domain rules give the precise messages.
export const Credentials = Type.Object(
  {
    email: Type.String({ minLength: 1, maxLength: emailMaxLength + 10 }),
    password: Type.String({ minLength: 1, maxLength: passwordMaxLength * 2 }),
  },
  { additionalProperties: false },
);
export type Credentials = Static<typeof Credentials>;

export const AccountCreated = Type.Object({ email: Type.String() });

export const SessionCreated = Type.Object({
  token: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
});

export const CurrentSession = Type.Object({
  email: Type.String(),
  expiresAt: Type.String({ format: 'date-time' }),
  csrfToken: Type.String({
    description: 'Send as the x-csrf-token header on state-changing cookie-authenticated requests.',
  }),
});

export const LinkSchema = Type.Object({
  code: Type.String(),
  url: Type.String(),
  clicks: Type.Integer(),
  createdAt: Type.String({ format: 'date-time' }),
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

export const LinkPageSchema = Type.Object({
  items: Type.Array(LinkSchema),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const CodeParams = Type.Object({ code: Type.String({ maxLength: 200 }) });
