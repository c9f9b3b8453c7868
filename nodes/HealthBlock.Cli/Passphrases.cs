using HealthBlock.Crypto;

namespace HealthBlock.Cli;

/// <summary>Finds the passphrase of a key file: a file, then the environment, then a prompt.</summary>
internal static class Passphrases
{
    public static string Read(CliContext context, string? passphraseFile, bool confirm)
    {
        if (passphraseFile is not null)
        {
            if (!File.Exists(passphraseFile))
            {
                throw new CliException($"passphrase file '{passphraseFile}' does not exist");
            }

            var fromFile = File.ReadAllText(passphraseFile).TrimEnd('\r', '\n');
            return fromFile.Length > 0 ? fromFile : throw new CliException($"passphrase file '{passphraseFile}' is empty");
        }

        var fromEnvironment = context.Environment(KeyFile.PassphraseVariable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        if (context.ReadSecret is null)
        {
            throw new CliException($"no passphrase: set {KeyFile.PassphraseVariable}, pass --passphrase-file, or run in a terminal to be asked");
        }

        var first = context.ReadSecret("Passphrase: ") ?? string.Empty;
        if (first.Length == 0)
        {
            throw new CliException("an empty passphrase would leave the private key readable");
        }

        if (confirm && context.ReadSecret("Repeat passphrase: ") != first)
        {
            throw new CliException("the passphrases do not match");
        }

        return first;
    }
}
