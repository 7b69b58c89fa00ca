package io.xecure.cli;

import picocli.CommandLine.Command;

@Command(
    name = "keys",
    description = "Manage keys through the admin API.",
    subcommands = {KeysImportCommand.class})
final class KeysCommand {}
