using HealthBlock.Doctor.Storage;
using HealthBlock.Doctor.Submitting;

namespace HealthBlock.Doctor.Tests;

/// <summary>The doctor's nonces through its database (<see cref="DatabaseNonceCounter"/>), shared by the node and the CLI.</summary>
public sealed class DatabaseNonceCounterTests : IDisposable
{
    private readonly DoctorParts _parts = new();

    public void Dispose() => _parts.Dispose();

    [Fact]
    public void Nonces_rise_above_both_what_this_process_took_and_what_any_process_recorded()
    {
        var node = new DatabaseNonceCounter(_parts.Db.Counters);
        Assert.Equal([1UL, 2, 3], new[] { node.Take(), node.Take(), node.Take() });

        // Another process (a note from the CLI) recorded a signed transaction with nonce 10.
        using var cli = DoctorDatabase.Open(_parts.Folder);
        cli.Counters.Raise(CounterTable.Nonce, 10);
        var next = node.Take();
        Assert.Equal(11UL, next);

        // The node records its transaction with nonce 11 (as RecordSigned does); the CLI's next nonce is above it.
        _parts.Db.Counters.Raise(CounterTable.Nonce, next);
        Assert.Equal(12UL, new DatabaseNonceCounter(cli.Counters).Take());
    }

    [Fact]
    public void Raising_to_the_ledgers_view_is_persisted_and_never_lowers_the_counter()
    {
        var counter = new DatabaseNonceCounter(_parts.Db.Counters);
        counter.RaiseTo(40);
        counter.RaiseTo(7);

        Assert.Equal(41UL, counter.Take());
        Assert.Equal(40UL, _parts.Db.Counters.Get(CounterTable.Nonce));
        Assert.Equal(41UL, new DatabaseNonceCounter(_parts.Db.Counters).Take());
    }

    [Fact]
    public async Task Concurrent_takes_never_return_the_same_nonce()
    {
        var counter = new DatabaseNonceCounter(_parts.Db.Counters);
        var taken = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => Enumerable.Range(0, 50).Select(_ => counter.Take()).ToList())));

        var all = taken.SelectMany(t => t).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(400UL, all.Max());
    }
}
