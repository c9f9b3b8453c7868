using HealthBlock.Crypto;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Cli.Tests;

/// <summary>The admin's commands against a real accounting node over HTTP, from identities exported by their owners.</summary>
public sealed class AdminCommandTests : IAsyncLifetime
{
    private readonly TempFolder _temp = new();
    private CliLedger _ledger = null!;

    public async Task InitializeAsync() => _ledger = await CliLedger.StartAsync(_temp);

    public async Task DisposeAsync()
    {
        await _ledger.DisposeAsync();
        _temp.Dispose();
    }

    private static CliRunner Cli => CliLedger.Cli("owner passphrase");

    [Fact]
    public async Task A_doctor_and_a_patient_exported_by_their_owners_are_registered_and_the_patient_gets_healthcoin()
    {
        var doctorId = Cli.Run("keygen", "--role", "doctor", "--out", _temp.Sub("doctor.key")).Out.Trim();
        var patientId = Cli.Run("keygen", "--role", "patient", "--out", _temp.Sub("patient.key")).Out.Trim();
        Assert.Equal(0, Cli.Run("identity", "export", _temp.Sub("doctor.key"), "--name", "Dr. Export", "--out", _temp.Sub("doctor.json")).ExitCode);
        Assert.Equal(0, Cli.Run("identity", "export", _temp.Sub("patient.key"), "--name", "patient-7", "--out", _temp.Sub("patient.json")).ExitCode);
        var url = _ledger.Url;

        var doctor = await Task.Run(() => Cli.Run("admin", "register", "--identity", _temp.Sub("doctor.json"), "--ledger", url, "--key", _temp.Sub("admin.key")));
        var patient = await Task.Run(() => Cli.Run("admin", "register", "--identity", _temp.Sub("patient.json"), "--ledger", url, "--key", _temp.Sub("admin.key")));
        var issue = await Task.Run(() => Cli.Run("admin", "issue", patientId, "500", "--ledger", url, "--key", _temp.Sub("admin.key")));

        Assert.True(doctor.ExitCode == 0, doctor.Error);
        Assert.True(patient.ExitCode == 0, patient.Error);
        Assert.True(issue.ExitCode == 0, issue.Error);
        Assert.StartsWith($"registered {doctorId} as doctor 'Dr. Export' at userchain/", doctor.Out, StringComparison.Ordinal);
        var registered = await _ledger.Node.GetIdentityAsync(IdentityId.Parse(doctorId));
        Assert.Equal((Role.Doctor, "Dr. Export", _ledger.Cluster.Admin.Id), (registered!.Role, registered.Name, registered.RegisteredBy));
        Assert.Equal(Role.Patient, (await _ledger.Node.GetIdentityAsync(IdentityId.Parse(patientId)))!.Role);
        Assert.Equal(500UL, await _ledger.Node.GetBalanceAsync(IdentityId.Parse(patientId)));

        var doctors = await Task.Run(() => Cli.Run("admin", "list", "--role", "doctor", "--ledger", url, "--key", _temp.Sub("patient.key")));
        Assert.True(doctors.ExitCode == 0, doctors.Error);
        Assert.Equal([$"{doctorId}  doctor   Dr. Export  registered-by={_ledger.Cluster.Admin.Id}", "1 identities"], doctors.Out.TrimEnd().Split('\n'));
        // A dead node first in --ledger: the client fails over to the live one.
        var everyone = await Task.Run(() => Cli.Run("admin", "list", "--ledger", "http://127.0.0.1:1," + url, "--key", _temp.Sub("admin.key")));
        Assert.True(everyone.ExitCode == 0, everyone.Error);
        Assert.Contains(everyone.Out.Split('\n'), l => l.StartsWith($"{patientId}  patient  patient-7", StringComparison.Ordinal));
        Assert.Contains(everyone.Out.Split('\n'), l => l.StartsWith($"{_ledger.Cluster.Admin.Id}  admin ", StringComparison.Ordinal) && l.EndsWith("registered-by=genesis", StringComparison.Ordinal));
        Assert.Equal(2, Cli.Run("admin", "list", "--role", "nurse", "--ledger", url, "--key", _temp.Sub("admin.key")).ExitCode);
    }

    [Fact]
    public async Task A_tampered_export_a_node_role_and_a_wrong_admin_passphrase_each_end_in_one_line_with_exit_code_2()
    {
        Cli.Run("keygen", "--role", "doctor", "--out", _temp.Sub("d.key"));
        Cli.Run("identity", "export", _temp.Sub("d.key"), "--name", "Dr. True", "--out", _temp.Sub("d.json"));
        var tampered = File.ReadAllText(_temp.Sub("d.json")).Replace("Dr. True", "Dr. Fake", StringComparison.Ordinal);
        File.WriteAllText(_temp.Sub("tampered.json"), tampered);
        var url = _ledger.Url;

        var forged = await Task.Run(() => Cli.Run("admin", "register", "--identity", _temp.Sub("tampered.json"), "--ledger", url, "--key", _temp.Sub("admin.key")));
        var node = await Task.Run(() => Cli.Run("admin", "register", "--identity", _temp.Sub("d.json"), "--role", "node", "--ledger", url, "--key", _temp.Sub("admin.key")));
        var wrong = await Task.Run(() => new CliRunner().WithEnvironment("HEALTHBLOCK_ADMIN_PASSPHRASE", "not the passphrase").Run("admin", "register", "--identity", _temp.Sub("d.json"), "--ledger", url, "--key", _temp.Sub("admin.key")));

        foreach (var result in new[] { forged, node, wrong })
        {
            Assert.Equal(2, result.ExitCode);
            Assert.Single(result.Error.Trim().Split('\n'));
            Assert.StartsWith("healthblock: ", result.Error, StringComparison.Ordinal);
        }

        Assert.Contains("does not verify", forged.Error, StringComparison.Ordinal);
        Assert.Contains("accounting nodes are fixed by the genesis", node.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("2")]
    [InlineData("4")]
    public void Accounting_init_refuses_a_cluster_size_other_than_1_3_or_5(string nodes)
    {
        var result = new CliRunner().WithEnvironment(KeyFile.PassphraseVariable, "node passphrase").WithEnvironment("HEALTHBLOCK_ADMIN_PASSPHRASE", CliLedger.AdminPassphrase)
            .Run("accounting", "init", "--out", _temp.Sub("net-" + nodes), "--nodes", nodes);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal($"healthblock: --nodes {nodes}: a cluster has 1, 3 or 5 accounting nodes", result.Error.Trim());
    }

    [Fact]
    public void Accounting_init_writes_the_admin_key_apart_under_its_own_passphrase_and_names_the_network()
    {
        var result = new CliRunner().WithEnvironment(KeyFile.PassphraseVariable, "node passphrase").WithEnvironment("HEALTHBLOCK_ADMIN_PASSPHRASE", CliLedger.AdminPassphrase)
            .Run("accounting", "init", "--out", _temp.Sub("net"), "--nodes", "3", "--network", "clinic-east");

        Assert.Equal(0, result.ExitCode);
        using (KeyFile.Read(_temp.Sub("net/admin/admin-1.key"), CliLedger.AdminPassphrase))
        {
        }

        Assert.Throws<CryptoException>(() => KeyFile.Read(_temp.Sub("net/admin/admin-1.key"), "node passphrase"));
        Assert.All(Enumerable.Range(1, 3), i => KeyFile.Read(_temp.Sub($"net/nodes/node-{i}.key"), "node passphrase").Dispose());
        Assert.Equal("clinic-east", HealthBlock.Ledger.Genesis.Load(_temp.Sub("net/genesis.json")).Network);
    }
}
