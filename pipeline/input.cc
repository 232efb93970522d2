#include "pipeline/input.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <system_error>

#include <sys/stat.h>

namespace vnfacts {
namespace fs = std::filesystem;

static bool HasExtension(const fs::path& p, const std::vector<std::string>& extensions) {
  const std::string name = p.filename().string();
  for (const std::string& ext : extensions) {
    if (name.size() >= ext.size() && name.compare(name.size() - ext.size(), ext.size(), ext) == 0) {
      return true;
    }
  }
  return false;
}

InputList CollectInputs(const std::vector<std::string>& paths,
                        const std::vector<std::string>& extensions) {
  InputList list;
  for (const std::string& path : paths) {
    if (path == "-") {
      list.paths.push_back(path);
      continue;
    }
    std::error_code ec;
    const fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      list.errors.push_back(path + ": no such file or directory");
      continue;
    }
    if (!fs::is_directory(status)) {
      list.paths.push_back(path);
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(path, fs::directory_options::skip_permission_denied, ec);
    if (ec) {
      list.errors.push_back(path + ": cannot read directory: " + ec.message());
      continue;
    }
    for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
      if (ec) {
        list.errors.push_back(path + ": " + ec.message());
        break;
      }
      std::error_code type_ec;
      if (it->is_regular_file(type_ec) && HasExtension(it->path(), extensions)) {
        found.push_back(it->path().string());
      }
    }
    std::sort(found.begin(), found.end());
    list.paths.insert(list.paths.end(), found.begin(), found.end());
  }
  return list;
}

void DropInputsOpenOn(int fd, InputList* list) {
  struct stat output;
  if (fd < 0 || fstat(fd, &output) != 0 || !S_ISREG(output.st_mode)) return;
  std::vector<std::string> kept;
  kept.reserve(list->paths.size());
  for (std::string& path : list->paths) {
    struct stat input;
    if (path != "-" && stat(path.c_str(), &input) == 0 && input.st_dev == output.st_dev &&
        input.st_ino == output.st_ino) {
      list->errors.push_back(path + ": is the output file; not read");
      continue;
    }
    kept.push_back(std::move(path));
  }
  list->paths = std::move(kept);
}

Expected<std::string> ReadStream(std::istream& in, const std::string& name) {
  std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) return Status::Error(name + ": read error");
  return content;
}

Expected<std::string> ReadInput(const std::string& path) {
  if (path == "-") return ReadStream(std::cin, "-");
  std::error_code ec;
  if (fs::is_directory(path, ec)) return Status::Error(path + ": is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Status::Error(path + ": cannot open: " + std::strerror(errno));
  }
  return ReadStream(in, path);
}

}  // namespace vnfacts
