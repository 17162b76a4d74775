#include "file_lock.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace eventstore::sqlite {

namespace {

Status cannot(const std::string& path, const char* what, int error) {
    return Status(Code::failed_precondition,
                  "sqlite: " + path + ": cannot " + what + ": " + std::strerror(error));
}

}  // namespace

Result<std::unique_ptr<FileLock>> FileLock::take(const std::string& path) {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return cannot(path, "open the file to lock it", errno);
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        const int error = errno;
        ::close(fd);
        if (error != EWOULDBLOCK) return cannot(path, "lock the file", error);
        return Status(Code::failed_precondition,
                      "sqlite: " + path +
                          ": the file is in use by another eventstored process; stop that "
                          "server, or give this one a file of its own");
    }
    return std::unique_ptr<FileLock>(new FileLock(fd));
}

FileLock::~FileLock() { ::close(fd_); }

}  // namespace eventstore::sqlite
