#include <CLI/CLI.hpp>

int main(int argc, char** argv) {
  CLI::App app{"lietvedis: the probation case-file command line"};
  app.require_subcommand(0);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
