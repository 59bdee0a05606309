/**
 * The full-text part of ticket lists (migration AddTicketSearch): a query is read as a web
 * search (words, "phrases", -exclusions, or) in English, German and plain form, and ranked with
 * the weights of ticket_search (ref and subject first, then customer, description, conversation).
 */
export const SEARCH_QUERY = `(websearch_to_tsquery('english', :q)
  || websearch_to_tsquery('german', :q)
  || websearch_to_tsquery('simple', :q))`;

/**
 * Staff read internal notes; integrations only what the customer could see. The notes index
 * holds only tickets with notes (migration IndexOnlyTicketsWithNotes), hence `notes <> ''`.
 */
export function searchMatch(includeNotes: boolean): { where: string; rank: string } {
  return includeNotes
    ? {
        where: `(s.document @@ ${SEARCH_QUERY} OR (s.notes <> ''::tsvector AND s.notes @@ ${SEARCH_QUERY}))`,
        rank: `ts_rank(s.document || s.notes, ${SEARCH_QUERY})`,
      }
    : { where: `s.document @@ ${SEARCH_QUERY}`, rank: `ts_rank(s.document, ${SEARCH_QUERY})` };
}
