using System.CommandLine;
using HealthBlock.Crypto;

namespace HealthBlock.Cli.Commands;

/// <summary><c>healthblock identity show|export KEYFILE</c>: the public part of an identity, for an admin to register.</summary>
internal static class IdentityCommand
{
    public static Command Create(CliContext context)
    {
        var identity = new Command("identity", "Show or export the public part of an identity key (what an admin needs to register it)");
        identity.Subcommands.Add(Show(context));
        identity.Subcommands.Add(Export(context));
        return identity;
    }

    private static Command Show(CliContext context)
    {
        var file = new Argument<FileInfo>("KEYFILE") { Description = "An identity key file" };
        var passphraseFile = PassphraseFileOption();
        var show = new Command("show", "Print the identity's id, role and public keys") { file, passphraseFile };
        show.SetAction(parse => CommandRunner.Run(context, () =>
        {
            var (key, role) = Open(context, parse.GetValue(file)!, parse.GetValue(passphraseFile));
            using (key)
            {
                context.Out.WriteLine($"id: {key.Id}");
                context.Out.WriteLine($"role: {role ?? "(not recorded)"}");
                context.Out.WriteLine($"signing key: {Convert.ToHexStringLower(key.Public.SigningKey)}");
                context.Out.WriteLine($"encryption key: {Convert.ToHexStringLower(key.Public.EncryptionKey)}");
            }

            return ExitCodes.Ok;
        }));
        return show;
    }

    private static Command Export(CliContext context)
    {
        var file = new Argument<FileInfo>("KEYFILE") { Description = "An identity key file" };
        var output = new Option<FileInfo?>("--out") { Description = "Write the export here (default: standard output)" };
        var name = new Option<string>("--name") { Description = "The name to be registered under", Required = true };
        var role = new Option<string?>("--role") { Description = "The role asked for (default: the key file's)" };
        var passphraseFile = PassphraseFileOption();
        var export = new Command("export", "Write the public keys, role and name, signed by the key (healthblock-identity/1 JSON)")
        {
            file, output, name, role, passphraseFile,
        };
        export.SetAction(parse => CommandRunner.Run(context, () =>
        {
            var (key, fileRole) = Open(context, parse.GetValue(file)!, parse.GetValue(passphraseFile));
            using (key)
            {
                var asked = parse.GetValue(role) ?? fileRole ?? throw new CliException("the key file records no role: pass --role");
                var json = ExportedIdentity.Export(key, asked, parse.GetValue(name)!);
                if (parse.GetValue(output) is { } path)
                {
                    if (path.Exists)
                    {
                        throw new CliException($"'{path.FullName}' already exists; refusing to overwrite it");
                    }

                    File.WriteAllText(path.FullName, json + "\n");
                    context.Out.WriteLine(path.FullName);
                }
                else
                {
                    context.Out.WriteLine(json);
                }
            }

            return ExitCodes.Ok;
        }));
        return export;
    }

    private static Option<FileInfo?> PassphraseFileOption() =>
        new("--passphrase-file") { Description = $"Read the key's passphrase from this file (else ${KeyFile.PassphraseVariable}, else a prompt)" };

    private static (IdentityKey Key, string? Role) Open(CliContext context, FileInfo file, FileInfo? passphraseFile)
    {
        if (!file.Exists)
        {
            throw new CliException($"no key file at '{file.FullName}'");
        }

        var text = File.ReadAllText(file.FullName);
        return (KeyFile.Import(text, Passphrases.Read(context, passphraseFile?.FullName, confirm: false)), KeyFile.ReadRole(text));
    }
}
