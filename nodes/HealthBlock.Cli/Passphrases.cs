using HealthBlock.Crypto;

namespace HealthBlock.Cli;

/// <summary>Finds the passphrase of a key file: a file, then the environment, then a prompt.</summary>
internal static class Passphrases
{
    /// <summary>The shortest passphrase a new key is encrypted under.</summary>
    public const int MinimumLength = 12;

    /// <summary>The variable the admin key's passphrase is read from (it is kept apart from the nodes').</summary>
    public const string AdminVariable = "HEALTHBLOCK_ADMIN_PASSPHRASE";

    /// <summary>
    /// Reads a passphrase from <paramref name="passphraseFile"/>, else <paramref name="variable"/>, else a prompt.
    /// With <paramref name="confirm"/> (a new key) the prompt asks twice and a passphrase shorter than
    /// <see cref="MinimumLength"/> characters is refused, wherever it came from.
    /// </summary>
    public static string Read(CliContext context, string? passphraseFile, bool confirm, string variable = KeyFile.PassphraseVariable, string what = "passphrase")
    {
        var passphrase = ReadAny(context, passphraseFile, confirm, variable, what);
        if (confirm && passphrase.Length < MinimumLength)
        {
            throw new CliException($"the {what} is {passphrase.Length} characters long: a new key needs at least {MinimumLength}");
        }

        return passphrase;
    }

    private static string ReadAny(CliContext context, string? passphraseFile, bool confirm, string variable, string what)
    {
        if (passphraseFile is not null)
        {
            if (!File.Exists(passphraseFile))
            {
                throw new CliException($"{what} file '{passphraseFile}' does not exist");
            }

            var fromFile = File.ReadAllText(passphraseFile).TrimEnd('\r', '\n');
            return fromFile.Length > 0 ? fromFile : throw new CliException($"{what} file '{passphraseFile}' is empty");
        }

        var fromEnvironment = context.Environment(variable);
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        if (context.ReadSecret is null)
        {
            throw new CliException($"no {what}: set {variable}, pass the {what} file option, or run in a terminal to be asked");
        }

        var first = context.ReadSecret(char.ToUpperInvariant(what[0]) + what[1..] + ": ") ?? string.Empty;
        if (first.Length == 0)
        {
            throw new CliException($"an empty {what} would leave the private key readable");
        }

        if (confirm && context.ReadSecret($"Repeat {what}: ") != first)
        {
            throw new CliException($"the {what}s do not match");
        }

        return first;
    }
}
