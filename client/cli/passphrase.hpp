// Where a NEW passphrase comes from (init, enrol). CliContext::ReadPassphrase serves opening an
// existing store (--passphrase-file, LIETVEDIS_PASSPHRASE, a prompt); a new one comes only
// from --passphrase-file (first line; /dev/stdin reads standard input) or from a prompt asked
// twice when stdin is a terminal. LIETVEDIS_PASSPHRASE is refused here (kValidation, naming
// the way to give one): a variable inherited by every child process, readable in /proc, must
// not silently become a new store's secret.
#pragma once

#include <string>
#include <string_view>

#include "client/cli/cli.hpp"

namespace lietvedis::cli {

Result<std::string> ReadNewPassphrase(const CliContext& ctx, std::string_view prompt);

}  // namespace lietvedis::cli
