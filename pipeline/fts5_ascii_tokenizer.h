// The search index's tokenizer on the connection that writes it: SQLite's
// built-in FTS5 `unicode61`, except that a document row of plain ASCII is
// split here. Rows are folded by vnfacts before indexing (FoldDiacritics), so
// nearly every row is ASCII, and for ASCII the built-in tokenizer's rule is
// short: with its default arguments the token characters are exactly
// [0-9A-Za-z] (its categories "L* N* Co" hold no other ASCII character), a
// token is a longest run of them, folded to lower case, and every other byte
// separates. The built-in tokenizer runs a general loop over every byte
// (UTF-8 decoding, output-buffer checks, a copy of each token) that cost the
// writer about 0.5 G instructions on the 20 MB archive.
//
// Registered under the same name, "unicode61", on one connection only, so the
// table keeps declaring the built-in tokenizer and every other reader (the
// sqlite3 shell, an older vnfacts) sees an ordinary FTS5 index. The tokens,
// their order and their offsets are the built-in's, so the index is the same
// byte for byte (fts5_ascii_tokenizer_test compares whole indexes); a row
// with any byte >= 0x80, any tokenizer argument, and every tokenizing that is
// not of a document (queries, auxiliary functions) go to the built-in
// tokenizer unchanged.
#ifndef VNFACTS_PIPELINE_FTS5_ASCII_TOKENIZER_H_
#define VNFACTS_PIPELINE_FTS5_ASCII_TOKENIZER_H_

#include "pipeline/status.h"

struct sqlite3;

namespace vnfacts {

// Registers the tokenizer on `db`. FTS5 binds a table to a tokenizer when the
// connection first uses the table and keeps it, so call this before the
// connection touches any FTS5 table. Failing leaves the connection with the
// built-in tokenizer, which makes the same index.
Status RegisterAsciiUnicode61(sqlite3* db);

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_FTS5_ASCII_TOKENIZER_H_
