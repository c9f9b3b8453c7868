using HealthBlock.Crypto;

namespace HealthBlock.Cli;

/// <summary>Finds and opens the patient's key file of a gateway data folder.</summary>
internal static class PatientIdentity
{
    public const string DefaultFileName = "patient.key";

    public static string PathFor(string dataFolder, string? keyFile) => Path.GetFullPath(keyFile ?? Path.Combine(dataFolder, DefaultFileName));

    /// <summary>Opens the key, creating it first when <paramref name="create"/> and it does not exist.</summary>
    public static IdentityKey Open(CliContext context, string dataFolder, string? keyFile, string? passphraseFile, bool create)
    {
        var path = PathFor(dataFolder, keyFile);
        if (!File.Exists(path))
        {
            if (!create)
            {
                throw new CliException($"no patient key at '{path}': start the gateway once, or pass --key");
            }

            var passphrase = Passphrases.Read(context, passphraseFile, confirm: true);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            using (var fresh = IdentityKey.Generate())
            {
                KeyFile.Write(path, fresh, "patient", passphrase);
                context.Error.WriteLine($"healthblock: created patient key {fresh.Id} at {path}");
            }

            return KeyFile.Read(path, passphrase);
        }

        return KeyFile.Read(path, Passphrases.Read(context, passphraseFile, confirm: false));
    }
}
