using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// The network a data folder belongs to: recorded at the folder's first start from the ledger's genesis, and checked
/// at every later start, so a gateway or doctor node pointed at another network's ledger refuses to run (it would sign
/// transactions the other network refuses, or read another network's records as its own).
/// </summary>
public static class NetworkPin
{
    /// <summary>The name under which data folders record their network.</summary>
    public const string Name = "network";

    /// <summary>
    /// The network of <paramref name="ledger"/>, pinned into the folder when <paramref name="pinned"/> is null (through
    /// <paramref name="pin"/>) and otherwise checked against it.
    /// </summary>
    /// <exception cref="InvalidOperationException">The folder belongs to another network (the message names both).</exception>
    public static async Task<NetworkId> ResolveAsync(ILedgerReader ledger, byte[]? pinned, Action<byte[]> pin, string folder, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(pin);
        var genesis = await ledger.GetGenesisAsync(cancellationToken).ConfigureAwait(false);
        var network = genesis.NetworkId;
        if (pinned is not { } recorded)
        {
            pin(network.Bytes.ToArray());
            return network;
        }

        return recorded.AsSpan().SequenceEqual(network.Bytes)
            ? network
            : throw new InvalidOperationException($"the data folder {folder} belongs to network {Convert.ToHexStringLower(recorded)[..Math.Min(8, recorded.Length * 2)]}…, but the ledger serves network '{genesis.Network}' ({network.Short}…)");
    }
}
