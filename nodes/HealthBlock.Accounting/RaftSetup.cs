using System.Net;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.Membership;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.Extensions.Logging.Abstractions;

namespace HealthBlock.Accounting;

/// <summary>
/// The node's Raft membership (dotNext over TCP): the configuration from the options (every member known in advance,
/// in-memory membership storage), the member metadata peers read (HTTP URL, node id), and the write-ahead log that
/// hands committed entries to the replica.
/// </summary>
internal static class RaftSetup
{
    /// <summary>
    /// A cluster (not started) whose write-ahead log in <c>raft/</c> applies entries to <paramref name="replica"/>; its
    /// links use <paramref name="security"/> (mutual TLS), or plain TCP when it is null.
    /// </summary>
    public static (RaftCluster Cluster, WriteAheadLog Log) Create(AccountingOptions options, IPEndPoint self, IReadOnlyList<IPEndPoint> members, IReadOnlyDictionary<string, string> metadata, IStateMachine replica, RaftTransportSecurity? security)
    {
        var config = new RaftCluster.TcpConfiguration(self)
        {
            SslOptions = security,
            ConfigurationStorage = null!, // null selects the in-memory storage, filled with the initial members below
            LowerElectionTimeout = options.LowerElectionTimeoutMs,
            UpperElectionTimeout = options.UpperElectionTimeoutMs,
            RequestTimeout = TimeSpan.FromSeconds(5),
            LoggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance,
        };
        var storage = (InMemoryClusterConfigurationStorage<EndPoint>)config.ConfigurationStorage;
        var builder = storage.CreateInitialConfigurationBuilder();
        foreach (var m in members)
        {
            builder.Add(m);
        }

        builder.Build();
        foreach (var (key, value) in metadata)
        {
            config.Metadata[key] = value;
        }

        var wal = new WriteAheadLog(
            new WriteAheadLog.Options
            {
                Location = Path.Combine(options.DataDirectory, "raft"),
                ChunkSize = options.RaftChunkBytes,
                MemoryManagement = WriteAheadLog.MemoryManagementStrategy.PrivateMemory,
            },
            replica);
        return (new RaftCluster(config) { AuditTrail = wal }, wal);
    }

    /// <summary>The members: the peers and this node.</summary>
    public static List<IPEndPoint> Members(AccountingOptions options, IPEndPoint self)
    {
        var members = options.Peers.Select(ParseEndPoint).ToList();
        if (!members.Contains(self))
        {
            members.Add(self);
        }

        return members;
    }

    /// <summary>Parses <c>host:port</c> where host is an IP address or <c>localhost</c>.</summary>
    public static IPEndPoint ParseEndPoint(string text)
    {
        if (IPEndPoint.TryParse(text, out var ep) && text.Contains(':', StringComparison.Ordinal))
        {
            return ep;
        }

        var colon = text.LastIndexOf(':');
        if (colon > 0 && text[..colon] == "localhost" && int.TryParse(text[(colon + 1)..], out var port))
        {
            return new IPEndPoint(IPAddress.Loopback, port);
        }

        throw new InvalidOperationException($"'{text}' is not a Raft endpoint (IP:port with a port).");
    }
}
