// unique-file.h: a stdio FILE* owned by one object and closed when it goes away.
//
// For code that reads with stdio (libjpeg wants a FILE*); closing is best effort, as for a file
// only read. A file written through stdio must be flushed and checked before it is let go.
#pragma once

#include <cstdio>
#include <memory>

namespace pp {

struct FileCloser {
  void operator()(std::FILE* file) const { std::fclose(file); }
};

// An open FILE*, fclose()d by the destructor; empty when fopen failed.
using UniqueFile = std::unique_ptr<std::FILE, FileCloser>;

}  // namespace pp
