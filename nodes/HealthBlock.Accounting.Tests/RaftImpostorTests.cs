using System.Net;
using System.Net.Sockets;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.Membership;
using DotNext.Net.Security;
using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Crypto.Tls;
using HealthBlock.Devnet;
using HealthBlock.Ledger;
using HealthBlock.Protocol.Ledger;
using HealthBlock.TestSupport;

namespace HealthBlock.Accounting.Tests;

/// <summary>
/// Raft links are mutual TLS bound to the genesis node keys: the probe that found a keyless process bound to a stopped
/// member's address leading the cluster becomes a test.
/// </summary>
[Trait("Category", "Slow")]
[Collection("ledger")]
public sealed class RaftImpostorTests
{
    [Fact]
    public async Task A_keyless_process_on_a_stopped_members_address_is_refused_at_the_handshake_and_alerted()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        var leader = await cluster.WaitForLeaderAsync(Helpers.Timeout);
        var stoppedIndex = cluster.Nodes.ToList().FindIndex(n => n is not null && n != leader);
        var stoppedEndPoint = cluster.Nodes[stoppedIndex]!.RaftEndPoint;
        await cluster.StopNodeAsync(stoppedIndex);
        var honest = cluster.Running.ToList();
        var alerts = new System.Collections.Concurrent.ConcurrentQueue<Alert>();
        foreach (var node in honest)
        {
            node.Alerts.Add(new CallbackAlertSink("test", alerts.Enqueue));
        }

        // The impostor: the stopped member's address, every member in its configuration, a key of its own, quick
        // elections (so it keeps asking for votes), and it accepts any certificate.
        using var impostorKey = IdentityKey.Generate();
        await using var impostor = StartImpostor(stoppedEndPoint, honest.Select(n => n.RaftEndPoint).Append(stoppedEndPoint), impostorKey);
        // Two directions, each alerted: the honest nodes refuse the impostor's vote requests (server side, it presents
        // its key), and the leader refuses the impostor when it dials the stopped member's address for a heartbeat
        // (client side). The leader reaches that address on its own schedule, so wait for both.
        bool Dialled(Alert a) => a.ClientAddress == stoppedEndPoint.ToString() && a.IdentityId == impostorKey.Id.ToString();
        bool Answered(Alert a) => a.ClientAddress is null && a.IdentityId == impostorKey.Id.ToString();
        await Eventually.WaitUntilAsync(
            () => honest.All(n => n.RaftHandshakesRefused > 0) && alerts.Any(Dialled) && alerts.Any(Answered),
            () => $"both honest nodes refuse the impostor's handshakes in both directions (refused {string.Join(", ", honest.Select(n => n.RaftHandshakesRefused))}, alerts {alerts.Count(Dialled)} dialled / {alerts.Count(Answered)} answered, impostor term {impostor.Term})",
            Helpers.Timeout);

        // The honest majority keeps committing under its own leader; no honest node follows the impostor's address.
        using var patientKey = IdentityKey.Generate();
        var patient = new TransactionSigner(patientKey, cluster.Genesis.NetworkId);
        var register = await Helpers.AdminRegistersAsync(honest[0], cluster.Admin, patientKey.Public);
        await Helpers.CommitAsync(honest[0], register);
        var nextNonce = await honest[0].GetNextNonceAsync(patientKey.Id);
        Assert.True(nextNonce > 0);
        foreach (var node in honest)
        {
            var status = await node.GetStatusAsync();
            Assert.NotEqual(stoppedEndPoint.ToString(), status.Leader);
            await Eventually.WaitUntilAsync(async () => await node.GetNextNonceAsync(patientKey.Id) == nextNonce, "the registration is on every honest replica", Helpers.Timeout);
        }

        // The impostor heard from nobody: no leader, no log.
        Assert.Null(impostor.Leader);

        // Every alert raised is the impostor kind and names the impostor's key.
        Assert.All(alerts, a => Assert.Equal(AlertKind.ImpostorPeer, a.Kind));
        Assert.All(alerts, a => Assert.Equal(impostorKey.Id.ToString(), a.IdentityId));
    }

    [Fact]
    public async Task A_plain_tcp_client_on_the_raft_port_gets_no_answer_and_the_node_keeps_serving()
    {
        await using var cluster = await LocalCluster.StartAsync(3);
        var node = await cluster.WaitForLeaderAsync(Helpers.Timeout);
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(node.RaftEndPoint);
            var stream = client.GetStream();
            await stream.WriteAsync(new byte[512]);
            var buffer = new byte[64];
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var read = await ReadOrClosedAsync(stream, buffer, cts.Token);
            Assert.True(read <= 0, "the node answered bytes that are not a TLS alert");
        }

        using var patientKey = IdentityKey.Generate();
        var patient = new TransactionSigner(patientKey, cluster.Genesis.NetworkId);
        await Helpers.CommitAsync(node, await Helpers.AdminRegistersAsync(node, cluster.Admin, patientKey.Public));
    }

    private static async Task<int> ReadOrClosedAsync(NetworkStream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            var total = 0;
            while (true)
            {
                var n = await stream.ReadAsync(buffer, cancellationToken);
                if (n == 0)
                {
                    return total == 0 ? 0 : -1;
                }

                // A TLS server answering garbage may send one alert record (content type 21) before closing.
                if (total == 0 && buffer[0] != 21)
                {
                    return n;
                }

                total += n;
            }
        }
        catch (IOException)
        {
            return -1;
        }
    }

    private static RaftCluster StartImpostor(IPEndPoint self, IEnumerable<IPEndPoint> members, IdentityKey key)
    {
        var certificate = IdentityCertificates.Create(key);
        var ssl = new SslOptions();
        ssl.ServerOptions.ServerCertificate = certificate;
        ssl.ServerOptions.ClientCertificateRequired = true;
        ssl.ServerOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        ssl.ClientOptions.ClientCertificates = [certificate];
        ssl.ClientOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => certificate;
        ssl.ClientOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        ssl.ClientOptions.TargetHost = "healthblock-raft";
        var config = new RaftCluster.TcpConfiguration(self)
        {
            ConfigurationStorage = null!,
            LowerElectionTimeout = 50,
            UpperElectionTimeout = 100,
            RequestTimeout = TimeSpan.FromSeconds(1),
            SslOptions = ssl,
        };
        var builder = ((InMemoryClusterConfigurationStorage<EndPoint>)config.ConfigurationStorage).CreateInitialConfigurationBuilder();
        foreach (var member in members)
        {
            builder.Add(member);
        }

        builder.Build();
        var cluster = new RaftCluster(config) { AuditTrail = new ConsensusOnlyState() };
        cluster.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        return cluster;
    }
}
