using HealthBlock.Doctor.Storage;

namespace HealthBlock.Doctor.Diagnosing;

/// <summary>
/// The doctor's diagnosis numbers (the AES-GCM nonce counter of <see cref="SealedDiagnosis"/>): reserved from the
/// database in blocks that are persisted before use, so a restart skips the rest of a block but never reuses a number
/// (notes written by the CLI reserve from the same counter). Safe for concurrent use.
/// </summary>
internal sealed class DiagnosisNumbers(CounterTable counters, ulong blockSize = DiagnosisNumbers.DefaultBlock)
{
    /// <summary>Numbers reserved at a time.</summary>
    public const ulong DefaultBlock = 64;

    private readonly Lock _lock = new();
    private ulong _next;
    private ulong _end;

    /// <summary>The next unused number.</summary>
    public ulong Next()
    {
        lock (_lock)
        {
            if (_next == 0 || _next > _end)
            {
                _next = counters.Reserve(CounterTable.DiagnosisNumber, blockSize);
                _end = _next + blockSize - 1;
            }

            return _next++;
        }
    }
}
