using System.Buffers;

namespace HealthBlock.Fhir;

/// <summary>
/// Writes ECG samples as the text of <c>SampledData.data</c>: decimal integers separated by single spaces. This is the
/// export's hot loop (21.6 million samples a day), so it writes digits straight into one buffer.
/// </summary>
internal static class SampledDataText
{
    /// <summary>Longest text of one int16 and its separator: <c>-32768 </c>.</summary>
    private const int MaxCharsPerSample = 7;

    /// <summary>The samples of <paramref name="parts"/> (in order, as one sequence) as data text.</summary>
    public static string Format(IReadOnlyList<ReadOnlyMemory<short>> parts)
    {
        var count = 0;
        foreach (var part in parts)
        {
            count += part.Length;
        }

        if (count == 0)
        {
            return string.Empty;
        }

        var buffer = ArrayPool<char>.Shared.Rent(count * MaxCharsPerSample);
        try
        {
            var position = 0;
            foreach (var part in parts)
            {
                foreach (var sample in part.Span)
                {
                    position = Append(buffer, position, sample);
                    buffer[position++] = ' ';
                }
            }

            return new string(buffer, 0, position - 1);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static int Append(char[] buffer, int position, short sample)
    {
        int value = sample;
        if (value < 0)
        {
            buffer[position++] = '-';
            value = -value;
        }

        var digits = value < 10 ? 1 : value < 100 ? 2 : value < 1000 ? 3 : value < 10000 ? 4 : 5;
        var end = position + digits;
        for (var i = end - 1; i >= position; i--)
        {
            var quotient = value / 10;
            buffer[i] = (char)('0' + (value - (quotient * 10)));
            value = quotient;
        }

        return end;
    }
}
