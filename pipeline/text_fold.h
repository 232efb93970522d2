// Folding for diacritic-insensitive search: "Nguyễn Văn Phong" and "nguyen van
// phong" fold to the same key, and so do "Đảng ủy" and "dang uy". SQLite's FTS5
// `remove_diacritics` leaves đ/Đ alone (it is a letter of its own, not d plus a
// mark), so vnfacts folds text and queries itself, identically, and indexes the
// folded form. Folding keeps one output character per input character for
// letters, so positions in a folded string line up with word boundaries of the
// original.
//
// The search index keeps no copy of the folded text (schema 8), and the store
// deletes an article's rows by folding its stored text again: what this
// returns for a given text is part of the database format. A change to it
// needs a schema migration that makes the index again (as 7 -> 8 does, see
// RebuildSearchIndex in store.cc), or deleting rows written before it leaves
// their old terms behind.
#ifndef VNFACTS_PIPELINE_TEXT_FOLD_H_
#define VNFACTS_PIPELINE_TEXT_FOLD_H_

#include <string>
#include <string_view>

namespace vnfacts {

// Lower-cases, removes combining marks after canonical decomposition, and maps
// đ/Đ to d. Invalid UTF-8 bytes are dropped.
std::string FoldDiacritics(std::string_view text);
// The same, appended to `*folded` (for many texts gathered in one buffer).
void AppendFoldedDiacritics(std::string_view text, std::string* folded);

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_TEXT_FOLD_H_
