using System.Buffers;
using System.Text;

namespace HealthBlock.Fhir;

/// <summary>
/// Writes ECG samples as the text of <c>SampledData.data</c>: decimal integers separated by single spaces. This is the
/// export's hot loop (21.6 million samples a day), so digits go straight into one byte buffer, no per-sample string.
/// </summary>
internal static class SampledDataText
{
    /// <summary>Longest text of one int16 and its separator: <c>-32768 </c>.</summary>
    public const int MaxBytesPerSample = 7;

    /// <summary>The data text as a string (for the <c>SampledData</c> object of <see cref="FhirExporter.Build"/>).</summary>
    public static string Format(IReadOnlyList<ReadOnlyMemory<short>> parts)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(1, Count(parts) * MaxBytesPerSample));
        try
        {
            return Encoding.ASCII.GetString(buffer, 0, Write(parts, buffer));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Number of samples in <paramref name="parts"/>.</summary>
    public static int Count(IReadOnlyList<ReadOnlyMemory<short>> parts)
    {
        var count = 0;
        foreach (var part in parts)
        {
            count += part.Length;
        }

        return count;
    }

    /// <summary>Writes the data text of <paramref name="parts"/> (as one sequence) as ASCII; returns its length.</summary>
    /// <param name="parts">The samples.</param>
    /// <param name="buffer">At least <see cref="MaxBytesPerSample"/> bytes per sample.</param>
    public static int Write(IReadOnlyList<ReadOnlyMemory<short>> parts, Span<byte> buffer)
    {
        var position = 0;
        foreach (var part in parts)
        {
            foreach (var sample in part.Span)
            {
                position = Append(buffer, position, sample);
                buffer[position++] = (byte)' ';
            }
        }

        return Math.Max(0, position - 1);
    }

    private static int Append(Span<byte> buffer, int position, short sample)
    {
        int value = sample;
        if (value < 0)
        {
            buffer[position++] = (byte)'-';
            value = -value;
        }

        var digits = value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : value < 10000 ? 4 : 5;
        var end = position + digits;
        for (var i = end - 1; i >= position; i--)
        {
            var quotient = value / 10;
            buffer[i] = (byte)('0' + (value - (quotient * 10)));
            value = quotient;
        }

        return end;
    }
}
