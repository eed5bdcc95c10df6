import { prepared, type Queryable } from '../db/database.js';
import type { ClickBatch } from './click-counter.js';

export interface Link {
  id: string;
  code: string;
  url: string;
  clicks: number;
  /** ISO 8601 in UTC with milliseconds, as `Date.prototype.toISOString` writes it. */
  createdAt: string;
}

interface LinkRow {
  id: string | bigint;
  code: string;
  url: string;
  clicks: string | number | bigint;
  created_at: string;
}

const toLink = (row: LinkRow): Link => ({
  id: String(row.id),
  code: row.code,
  url: row.url,
  clicks: Number(row.clicks),
  createdAt: row.created_at,
});

const createdAtText = `to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The database writes `created_at` in the API's own form, so a listed row is never parsed into a `Date` only to be
 * printed again (that round trip was a seventh of the list route's CPU in `npm run bench:http`).
 */
const columns = `id, code, url, clicks, ${createdAtText} as created_at`;

/** A page of links as the API's JSON, written by PostgreSQL, and what the next page's cursor needs. */
export interface LinkPageJson {
  /** The items of a JSON array, without its brackets: `{"code":…,"url":…,"clicks":…,"createdAt":…},…`. */
  items: string;
  /** The id of the page's last (oldest) item; undefined for an empty page. */
  lastId: string | undefined;
  /** Whether older links follow this page. */
  hasMore: boolean;
}

interface LinkPageJsonRow {
  items: string;
  has_more: boolean;
  last_id: string | bigint | null;
}

/**
 * The API's list, the busiest authenticated read: PostgreSQL writes each item as the API's JSON (`row_to_json`
 * of exactly the four fields the OpenAPI document gives a link), so the service neither parses 20 rows into
 * objects nor serializes them again, which was about a tenth of the route's CPU. One row more than the page is
 * read, to tell whether another page follows. Prepared, one statement per kind of page, so that the next page's
 * `id < $3` stays a bound of the (account_id, id) index scan under a generic plan.
 */
const linkPageJson = (name: string, condition: string) =>
  prepared(
    name,
    `select coalesce(string_agg(item, ',' order by id desc) filter (where n <= $2), '') as items,
            count(*) > $2 as has_more,
            min(id) filter (where n <= $2) as last_id
     from (select id, row_number() over (order by id desc) as n,
                  row_to_json((select item from (select code, url, clicks, ${createdAtText} as "createdAt") item))::text as item
           from links where ${condition} order by id desc limit $2 + 1) page`,
  );
const firstPageJson = linkPageJson('links_page_json_first', 'account_id = $1');
const nextPageJson = linkPageJson('links_page_json_next', 'account_id = $1 and id < $3');

/** The redirect's read when the code is not cached. */
const findUrlByCode = prepared('links_find_url', 'select url from links where code = $1');

/**
 * How long a deleted code rests before anyone may take it again: far beyond the redirect cache's 10 s and a
 * click flush, so no pending click can reach a new owner, and long enough that links to the old target that
 * are still out there do not silently lead somewhere else the next day.
 */
export const codeQuarantineDays = 30;

export const createLinksRepository = (db: Queryable) => ({
  /**
   * Undefined when the code is resting after a deletion; throws UniqueViolationError when it is taken, in any
   * case (the unique index is on `lower(code)`).
   */
  async insert(accountId: string, code: string, url: string): Promise<Link | undefined> {
    const { rows } = await db.query<LinkRow>(
      `insert into links (account_id, code, url)
       select $1, $2, $3 where not exists (
         select 1 from retired_codes where code_key = lower($2) and retired_at > now() - make_interval(days => $4))
       returning ${columns}`,
      [accountId, code, url, codeQuarantineDays],
    );
    return rows[0] === undefined ? undefined : toLink(rows[0]);
  },

  /** The redirect path: one read by the unique index on code. */
  async findUrl(code: string): Promise<string | undefined> {
    const { rows } = await db.query<{ url: string }>(findUrlByCode, [code]);
    return rows[0]?.url;
  },

  async findOwned(accountId: string, code: string): Promise<Link | undefined> {
    const { rows } = await db.query<LinkRow>(
      `select ${columns} from links where code = $1 and account_id = $2`,
      [code, accountId],
    );
    return rows[0] === undefined ? undefined : toLink(rows[0]);
  },

  /** Newest first; `beforeId` continues after the last item of the previous page. */
  async listOwned(accountId: string, limit: number, beforeId?: string): Promise<Link[]> {
    const { rows } = await db.query<LinkRow>(
      `select ${columns} from links where account_id = $1 and ($2::bigint is null or id < $2::bigint)
       order by id desc limit $3`,
      [accountId, beforeId ?? null, limit],
    );
    return rows.map(toLink);
  },

  /** `listOwned` for the API: at most `limit` links as JSON, newest first. */
  async listOwnedJson(accountId: string, limit: number, beforeId?: string): Promise<LinkPageJson> {
    const { rows } = await (beforeId === undefined
      ? db.query<LinkPageJsonRow>(firstPageJson, [accountId, limit])
      : db.query<LinkPageJsonRow>(nextPageJson, [accountId, limit, beforeId]));
    const [row] = rows;
    if (row === undefined) throw new Error('an aggregate query returned no row');
    return {
      items: row.items,
      lastId: row.last_id === null ? undefined : String(row.last_id),
      hasMore: row.has_more,
    };
  },

  /** Deletes the link and retires its code in one statement, so no one can take the code in between. */
  async deleteOwned(accountId: string, code: string): Promise<boolean> {
    const { rowCount } = await db.query(
      `with gone as (delete from links where code = $1 and account_id = $2 returning code)
       insert into retired_codes (code_key) select lower(code) from gone
       on conflict (code_key) do update set retired_at = now()`,
      [code, accountId],
    );
    return rowCount > 0;
  },

  /**
   * Adds the counts of every batch not already recorded in click_batches, and records them, in one statement
   * (one transaction): a batch written again after an unknown outcome adds nothing the second time. The rows
   * are locked in id order before the update: replicas flushing overlapping codes at once would otherwise lock
   * them in each plan's order and deadlock (40P01).
   */
  async addClickBatches(batches: readonly ClickBatch[]): Promise<void> {
    const rows = batches.flatMap((batch) =>
      [...batch.counts].map(([code, n]) => ({ id: batch.id, code, n })),
    );
    if (rows.length === 0) return;
    await db.query(
      `with fresh as (
         insert into click_batches (id) select unnest($1::uuid[]) on conflict (id) do nothing returning id
       ), counts as (
         select b.code, sum(b.n)::bigint as n
         from unnest($2::uuid[], $3::text[], $4::bigint[]) as b (batch, code, n)
         join fresh on fresh.id = b.batch
         group by b.code
       ), locked as (
         select links.id, counts.n from links join counts on links.code = counts.code
         order by links.id for update of links
       )
       update links set clicks = links.clicks + locked.n from locked where links.id = locked.id`,
      [
        batches.map((batch) => batch.id),
        rows.map((row) => row.id),
        rows.map((row) => row.code),
        rows.map((row) => row.n),
      ],
    );
  },

  /** Forgets batch ids older than a day; only a batch unconfirmed for that long could then count twice. */
  async purgeClickBatches(): Promise<number> {
    const { rowCount } = await db.query(
      `delete from click_batches where flushed_at < now() - interval '1 day'`,
    );
    return rowCount;
  },
});

export type LinksRepository = ReturnType<typeof createLinksRepository>;
