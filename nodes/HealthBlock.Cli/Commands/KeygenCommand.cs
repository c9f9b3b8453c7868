using System.CommandLine;
using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Cli.Commands;

/// <summary><c>healthblock keygen --role ROLE --out FILE</c>.</summary>
internal static class KeygenCommand
{
    public static Command Create(CliContext context)
    {
        var role = new Option<string>("--role") { Description = "patient, doctor, device, node, admin, statistics or auditor", Required = true };
        var output = new Option<FileInfo>("--out") { Description = "Key file to create (refuses to overwrite)", Required = true };
        var passphraseFile = new Option<FileInfo?>("--passphrase-file") { Description = $"Read the passphrase from this file (else ${KeyFile.PassphraseVariable}, else a prompt)" };
        var command = new Command("keygen", "Create an identity key (ECDSA P-256 signing + P-256 encryption), encrypted under a passphrase")
        {
            role, output, passphraseFile,
        };
        command.SetAction(parse => CommandRunner.Run(context, () =>
        {
            var roleName = parse.GetValue(role)!;
            if (!LedgerNames.TryParseRole(roleName, out var parsedRole))
            {
                throw new CliException($"unknown role '{roleName}': use patient, doctor, device, node, admin, statistics or auditor");
            }

            var path = parse.GetValue(output)!.FullName;
            if (File.Exists(path))
            {
                throw new CliException($"'{path}' already exists; refusing to overwrite a key");
            }

            var passphrase = Passphrases.Read(context, parse.GetValue(passphraseFile)?.FullName, confirm: true);
            using var key = IdentityKey.Generate();
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            KeyFile.Write(path, key, LedgerNames.RoleName(parsedRole), passphrase);
            context.Out.WriteLine(key.Id.ToString());
            return ExitCodes.Ok;
        }));
        return command;
    }
}
