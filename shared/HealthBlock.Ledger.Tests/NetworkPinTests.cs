namespace HealthBlock.Ledger.Tests;

public sealed class NetworkPinTests : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public void Dispose() => _owned.ForEach(d => d.Dispose());

    [Fact]
    public async Task A_folder_is_pinned_to_the_network_it_first_met_and_refuses_another_naming_both()
    {
        var first = Ledger("clinic-a");
        var other = Ledger("clinic-b");
        byte[]? stored = null;

        var pinned = await NetworkPin.ResolveAsync(first, stored, b => stored = b, "/data/gw");
        var again = await NetworkPin.ResolveAsync(first, stored, _ => Assert.Fail("pinned twice"), "/data/gw");
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => NetworkPin.ResolveAsync(other, stored, _ => Assert.Fail("re-pinned"), "/data/gw"));

        Assert.Equal(first.Genesis.NetworkId, pinned);
        Assert.Equal(pinned, again);
        Assert.Equal(first.Genesis.NetworkId.Bytes.ToArray(), stored);
        Assert.Contains("/data/gw", refused.Message, StringComparison.Ordinal);
        Assert.Contains(first.Genesis.NetworkId.Short, refused.Message, StringComparison.Ordinal);
        Assert.Contains("'clinic-b'", refused.Message, StringComparison.Ordinal);
    }

    private InMemoryLedger Ledger(string name)
    {
        var (genesis, admin, nodes) = GenesisKeys.Generate(1, network: name);
        var ledger = new InMemoryLedger(genesis, nodes[0]);
        _owned.AddRange([admin, nodes[0], ledger]);
        return ledger;
    }
}
