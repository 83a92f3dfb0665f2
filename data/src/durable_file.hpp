#pragma once
// Internal: POSIX steps that make a finished file survive a crash or power loss.
#include <filesystem>

namespace fp::data {

// Each throws std::runtime_error naming the step and the system's reason.
void fsync_file(const std::filesystem::path& file);
void fsync_directory_of(const std::filesystem::path& file);
// Atomically replaces `to` (if it exists) by `from`; both in the same directory.
void rename_over(const std::filesystem::path& from, const std::filesystem::path& to);

}  // namespace fp::data
