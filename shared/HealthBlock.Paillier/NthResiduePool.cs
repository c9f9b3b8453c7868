using System.Numerics;
using System.Threading.Channels;

namespace HealthBlock.Paillier;

/// <summary>
/// A bounded pool of precomputed rⁿ mod n², the one expensive part of an encryption, so that encrypting costs a
/// multiplication when the pool has stock. Each value leaves the pool exactly once (a channel read removes it and
/// the pool keeps no other reference), so no two encryptions share randomness. Refilled on demand by
/// <see cref="Fill"/>, or continuously by <see cref="StartBackgroundRefill"/>; when empty, <see cref="Take"/>
/// computes a fresh value on the caller's thread rather than wait or reuse.
/// </summary>
public sealed class NthResiduePool : IDisposable
{
    private readonly Func<BigInteger> _compute;
    private readonly Channel<BigInteger> _stock;
    private readonly CancellationTokenSource _stop = new();
    private Task? _refill;
    private long _takenFromStock;
    private long _computedOnDemand;

    /// <summary>A pool for encryptions under a public key (each value is one full exponentiation mod n²).</summary>
    public NthResiduePool(PaillierPublicKey key, int capacity)
        : this(key ?? throw new ArgumentNullException(nameof(key)), key.RandomNthResidue, capacity)
    {
    }

    /// <summary>A pool for the key holder's own encryptions, filled through the CRT (about half the work per value).</summary>
    public NthResiduePool(PaillierPrivateKey key, int capacity)
        : this((key ?? throw new ArgumentNullException(nameof(key))).PublicKey, key.RandomNthResidue, capacity)
    {
    }

    private NthResiduePool(PaillierPublicKey key, Func<BigInteger> compute, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Key = key;
        Capacity = capacity;
        _compute = compute;
        _stock = Channel.CreateBounded<BigInteger>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = false,
            SingleWriter = false,
        });
    }

    /// <summary>The key whose n-th residues the pool holds.</summary>
    public PaillierPublicKey Key { get; }

    /// <summary>Most values the pool holds at once.</summary>
    public int Capacity { get; }

    /// <summary>Values ready now.</summary>
    public int Available => _stock.Reader.Count;

    /// <summary>Values handed out from stock so far.</summary>
    public long TakenFromStock => Interlocked.Read(ref _takenFromStock);

    /// <summary>Values computed by <see cref="Take"/> because the pool was empty.</summary>
    public long ComputedOnDemand => Interlocked.Read(ref _computedOnDemand);

    /// <summary>Removes one value from the pool, or computes a fresh one when the pool is empty.</summary>
    public BigInteger Take()
    {
        if (_stock.Reader.TryRead(out var value))
        {
            Interlocked.Increment(ref _takenFromStock);
            return value;
        }

        Interlocked.Increment(ref _computedOnDemand);
        return _compute();
    }

    /// <summary>Computes values on the calling thread until the pool is full; returns how many were added.</summary>
    public int Fill()
    {
        var added = 0;
        while (_stock.Reader.Count < Capacity && _stock.Writer.TryWrite(_compute()))
        {
            added++;
        }

        return added;
    }

    /// <summary>Starts one background task that keeps the pool full until <see cref="Dispose"/>.</summary>
    public void StartBackgroundRefill()
    {
        if (_refill is not null)
        {
            throw new InvalidOperationException("The pool is already refilling in the background.");
        }

        var token = _stop.Token;
        _refill = Task.Factory.StartNew(() => RefillLoopAsync(token), token, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
    }

    /// <summary>Stops the background refill and drops the stock.</summary>
    public void Dispose()
    {
        _stop.Cancel();
        try
        {
            _refill?.Wait();
        }
        catch (AggregateException e) when (e.InnerExceptions.All(x => x is OperationCanceledException))
        {
            // The refill loop ends by cancellation.
        }

        _stock.Writer.TryComplete();
        while (_stock.Reader.TryRead(out _))
        {
        }

        _stop.Dispose();
    }

    private async Task RefillLoopAsync(CancellationToken token)
    {
        while (await _stock.Writer.WaitToWriteAsync(token).ConfigureAwait(false))
        {
            // The wait says there is room; the write waits again if a Fill() took that room meanwhile.
            await _stock.Writer.WriteAsync(_compute(), token).ConfigureAwait(false);
        }
    }
}
