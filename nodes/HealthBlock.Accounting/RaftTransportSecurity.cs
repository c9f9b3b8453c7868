using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using DotNext.Net.Security;
using HealthBlock.Alerts;
using HealthBlock.Crypto;
using HealthBlock.Crypto.Tls;

namespace HealthBlock.Accounting;

/// <summary>
/// Mutual TLS for the Raft links: every node presents a certificate made on its genesis node key
/// (<see cref="IdentityCertificates"/>) and accepts, as server and as client, only peers whose certificate key is one
/// of the genesis accounting-node keys (<see cref="IdentityPinning"/>). Membership is therefore decided by who holds a
/// member's key, not by who binds a member's address: an impostor is refused at the handshake, before any Raft message
/// is read, and each refusal raises <see cref="AlertKind.ImpostorPeer"/> naming the endpoint dialled (as client) or the
/// identity presented (as server).
/// </summary>
internal sealed class RaftTransportSecurity : SslOptions, IDisposable
{
    private readonly X509Certificate2 _certificate;
    private readonly Func<IdentityId, bool> _isMember;
    private readonly AlertHub _alerts;
    private readonly string _node;
    private long _refusals;

    /// <summary>Creates the options for a node holding <paramref name="nodeKey"/>.</summary>
    /// <param name="nodeKey">This node's key (the caller keeps owning it).</param>
    /// <param name="isMember">True for the identities of the cluster's members (the genesis accounting nodes).</param>
    /// <param name="alerts">Where refusals are raised.</param>
    public RaftTransportSecurity(IdentityKey nodeKey, Func<IdentityId, bool> isMember, AlertHub alerts)
    {
        ArgumentNullException.ThrowIfNull(nodeKey);
        _certificate = IdentityCertificates.Create(nodeKey);
        _isMember = isMember;
        _alerts = alerts;
        _node = nodeKey.Id.ToString();
        ServerOptions.ServerCertificate = _certificate;
        ServerOptions.ClientCertificateRequired = true;
        ServerOptions.EnabledSslProtocols = SslProtocols.Tls13;
        ServerOptions.RemoteCertificateValidationCallback = IdentityPinning.Callback(isMember, (identity, reason) => Refused(null, identity, reason));
        ClientOptions.EnabledSslProtocols = SslProtocols.Tls13;
    }

    /// <summary>Handshakes refused so far (as server and as client).</summary>
    public long Refusals => Interlocked.Read(ref _refusals);

    /// <summary>Client options for a connection to <paramref name="serverAddress"/>: our certificate, the member pin.</summary>
    public override SslClientAuthenticationOptions CreateClientOptions(EndPoint serverAddress) => new()
    {
        TargetHost = "healthblock-raft",
        EnabledSslProtocols = SslProtocols.Tls13,
        ClientCertificates = [_certificate],
        LocalCertificateSelectionCallback = (_, _, _, _, _) => _certificate,
        RemoteCertificateValidationCallback = IdentityPinning.Callback(_isMember, (identity, reason) => Refused(serverAddress, identity, reason)),
    };

    /// <inheritdoc/>
    public void Dispose() => _certificate.Dispose();

    private void Refused(EndPoint? dialled, IdentityId? identity, string reason)
    {
        Interlocked.Increment(ref _refusals);
        var where = dialled is null ? "a connecting Raft peer" : $"the Raft peer at {dialled}";
        _alerts.Raise(new Alert(AlertKind.ImpostorPeer, $"Accounting node {_node} refused {where}: {reason}")
        {
            Node = _node,
            ClientAddress = dialled?.ToString(),
            IdentityId = identity?.ToString(),
        });
    }
}
