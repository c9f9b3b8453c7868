using System.Buffers;
using System.Runtime.ExceptionServices;

namespace HealthBlock.Fhir;

/// <summary>
/// A ring of segment buffers between worker threads that fill them and one thread that writes them out in order:
/// segment <c>i</c> goes to slot <c>i mod size</c>, which a worker may fill only after the writer has emptied it, so at
/// most <c>size</c> segments are held at once. A worker's exception stops the others and is rethrown to the writer.
/// </summary>
internal sealed class SegmentRing : IDisposable
{
    private readonly ArrayBufferWriter<byte>[] _buffers;
    private readonly SemaphoreSlim[] _free;
    private readonly SemaphoreSlim[] _filled;
    private readonly CancellationTokenSource _failed = new();
    private ExceptionDispatchInfo? _error;
    private int _next = -1;

    public SegmentRing(int size)
    {
        _buffers = new ArrayBufferWriter<byte>[size];
        _free = new SemaphoreSlim[size];
        _filled = new SemaphoreSlim[size];
        for (var i = 0; i < size; i++)
        {
            _buffers[i] = new ArrayBufferWriter<byte>(1 << 20);
            _free[i] = new SemaphoreSlim(1, 1);
            _filled[i] = new SemaphoreSlim(0, 1);
        }
    }

    /// <summary>Fills segments 0 … <paramref name="segments"/> − 1 on <paramref name="workers"/> threads and writes them to <paramref name="output"/> in order.</summary>
    public void Run(int segments, int workers, Action<int, ArrayBufferWriter<byte>> fill, Stream output)
    {
        var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() => Work(segments, fill)) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        try
        {
            for (var i = 0; i < segments; i++)
            {
                var slot = i % _buffers.Length;
                _filled[slot].Wait(_failed.Token);
                output.Write(_buffers[slot].WrittenSpan);
                _free[slot].Release();
            }
        }
        catch (OperationCanceledException) when (_error is not null)
        {
            _error.Throw();
        }
        catch
        {
            _failed.Cancel();
            throw;
        }
        finally
        {
            threads.ForEach(t => t.Join());
        }
    }

    public void Dispose()
    {
        _failed.Dispose();
        foreach (var semaphore in _free.Concat(_filled))
        {
            semaphore.Dispose();
        }
    }

    private void Work(int segments, Action<int, ArrayBufferWriter<byte>> fill)
    {
        try
        {
            for (var i = Interlocked.Increment(ref _next); i < segments; i = Interlocked.Increment(ref _next))
            {
                var slot = i % _buffers.Length;
                _free[slot].Wait(_failed.Token);
                fill(i, _buffers[slot]);
                _filled[slot].Release();
            }
        }
        catch (OperationCanceledException) when (_failed.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // Any failure of a worker is handed to the writer thread, which rethrows it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Interlocked.CompareExchange(ref _error, ExceptionDispatchInfo.Capture(e), null);
            _failed.Cancel();
        }
    }
}
