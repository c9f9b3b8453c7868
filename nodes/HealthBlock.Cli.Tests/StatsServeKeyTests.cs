using HealthBlock.Crypto;
using HealthBlock.Paillier;
using HealthBlock.Statistics;

namespace HealthBlock.Cli.Tests;

/// <summary>
/// <c>stats serve</c> opens its keys the way every role does: the identity key file under the passphrase from
/// <c>--passphrase-file</c>, else <c>HEALTHBLOCK_PASSPHRASE</c>, else a prompt; the Paillier key sealed to that identity.
/// Each mistake is one line and exit code 2, found before any ledger is contacted.
/// </summary>
public sealed class StatsServeKeyTests : IDisposable
{
    private const string Passphrase = "statistics passphrase";
    private readonly TempFolder _temp = new();
    private readonly IdentityKey _statistics = IdentityKey.Generate();

    public StatsServeKeyTests()
    {
        Directory.CreateDirectory(Data);
        KeyFile.Write(Path.Combine(Data, Commands.StatsCommand.IdentityFileName), _statistics, "statistics", Passphrase, iterations: 10_000);
    }

    private string Data => _temp.Sub("stats");

    public void Dispose()
    {
        _statistics.Dispose();
        _temp.Dispose();
    }

    [Fact]
    public void Without_a_passphrase_from_a_file_the_environment_or_a_terminal_the_node_does_not_start()
    {
        var result = new CliRunner().Run("stats", "serve", "--data", Data, "--ledger", "https://127.0.0.1:1");

        Assert.Equal(2, result.ExitCode);
        Assert.Equal("healthblock: no passphrase: set HEALTHBLOCK_PASSPHRASE, pass the passphrase file option, or run in a terminal to be asked", result.Error.Trim());
        Assert.False(File.Exists(Path.Combine(Data, PaillierKeyFile.FileName)));
    }

    [Fact]
    public void A_paillier_key_sealed_to_another_identity_is_refused_with_the_passphrase_read_from_its_file()
    {
        using var other = IdentityKey.Generate();
        var sealedPath = Path.Combine(Data, PaillierKeyFile.FileName);
        File.WriteAllBytes(sealedPath, PaillierKeyFile.Seal(PaillierPrivateKey.Generate(2048), other));
        File.WriteAllText(_temp.Sub("passphrase"), Passphrase + "\n");

        var wrong = new CliRunner().WithEnvironment(KeyFile.PassphraseVariable, "not the passphrase")
            .Run("stats", "serve", "--data", Data, "--ledger", "https://127.0.0.1:1", "--passphrase-file", _temp.Sub("passphrase"));

        Assert.Equal(2, wrong.ExitCode);
        Assert.Equal($"healthblock: '{sealedPath}': The Paillier key is not sealed to statistics identity {_statistics.Id} (or was altered).", wrong.Error.Trim());
    }
}
