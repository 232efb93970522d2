// Reading inputs: expanding the paths a user gives (files, folders searched
// recursively, "-" for stdin) into a list of articles, and reading one article
// with errors that name the file. Unreadable inputs are reported, never fatal.
#ifndef VNFACTS_PIPELINE_INPUT_H_
#define VNFACTS_PIPELINE_INPUT_H_

#include <filesystem>
#include <istream>
#include <string>
#include <vector>

#include "pipeline/status.h"

namespace vnfacts {

struct InputList {
  std::vector<std::string> paths;   // files in a deterministic (sorted) order; "-" for stdin
  std::vector<std::string> errors;  // "<path>: no such file or directory", ...
};

// Expands files and folders. A folder contributes the files below it whose
// name ends in one of `extensions` (".txt"); a file named directly is always
// taken. The result is sorted within each folder so runs are reproducible.
InputList CollectInputs(const std::vector<std::string>& paths,
                        const std::vector<std::string>& extensions);

// Drops every input that is the regular file open on `fd` and reports it in
// list->errors, as `cat` refuses to read its own output: `vnfacts extract DIR >
// DIR/facts.jsonl` would otherwise read what it writes until the disk is full.
// Nothing happens when `fd` is not a regular file (a terminal, a pipe).
void DropInputsOpenOn(int fd, InputList* list);

// Reads a whole file (or stdin for "-"). Errors name the path.
Expected<std::string> ReadInput(const std::string& path);
Expected<std::string> ReadStream(std::istream& in, const std::string& name);

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_INPUT_H_
