using System.CommandLine;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Cli;

/// <summary>
/// The <c>--key</c> and <c>--passphrase-file</c> options of commands that only read the ledger (<c>audit</c>,
/// <c>admin list</c>): the key of the registered identity the reads are signed by (docs/protocol.md, "Who may read
/// what"). An admin key's passphrase comes from <see cref="Passphrases.AdminVariable"/>, any other's from
/// <see cref="KeyFile.PassphraseVariable"/>.
/// </summary>
internal sealed record ReaderKey(Option<FileInfo> Key, Option<FileInfo?> PassphraseFile)
{
    /// <summary>The options, <paramref name="who"/> describing the identities the command needs.</summary>
    public static ReaderKey Options(string who) => new(
        new Option<FileInfo>("--key") { Description = $"Key file of the registered identity that signs the reads ({who})", Required = true },
        new Option<FileInfo?>("--passphrase-file") { Description = $"Read the key's passphrase from this file (else ${Passphrases.AdminVariable} for an admin key, ${KeyFile.PassphraseVariable} for any other, else a prompt)" });

    /// <summary>Opens the key the options name.</summary>
    /// <exception cref="CliException">No such file.</exception>
    public IdentityKey Open(CliContext context, ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var file = parse.GetValue(Key)!;
        if (!file.Exists)
        {
            throw new CliException($"no key file at '{file.FullName}'");
        }

        var text = File.ReadAllText(file.FullName);
        var admin = KeyFile.ReadRole(text) == LedgerNames.RoleName(Role.Admin);
        var passphrase = admin
            ? Passphrases.Read(context, parse.GetValue(PassphraseFile)?.FullName, confirm: false, Passphrases.AdminVariable, "admin passphrase")
            : Passphrases.Read(context, parse.GetValue(PassphraseFile)?.FullName, confirm: false);
        return KeyFile.Import(text, passphrase);
    }
}
