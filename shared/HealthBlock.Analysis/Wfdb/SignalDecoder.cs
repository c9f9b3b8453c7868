namespace HealthBlock.Analysis;

/// <summary>Decodes interleaved WFDB sample streams (formats 212 and 16).</summary>
internal static class SignalDecoder
{
    /// <summary>Whole frames available in <paramref name="bytes"/> bytes.</summary>
    public static long SamplesAvailable(int format, int signals, long bytes)
    {
        if (signals <= 0 || bytes <= 0)
        {
            return 0;
        }

        var values = format == 212 ? bytes / 3 * 2 + (bytes % 3 >= 2 ? 1 : 0) : bytes / 2;
        return values / signals;
    }

    /// <summary>Bytes needed to hold <paramref name="samplesPerSignal"/> frames.</summary>
    public static long BytesNeeded(int format, int signals, long samplesPerSignal)
    {
        if (samplesPerSignal > long.MaxValue / 4 / Math.Max(1, signals))
        {
            return long.MaxValue;
        }

        var values = samplesPerSignal * signals;
        return format == 212 ? values / 2 * 3 + (values % 2 == 1 ? 2 : 0) : values * 2;
    }

    /// <summary>Decodes <paramref name="samplesPerSignal"/> frames of <paramref name="signals"/> interleaved signals.</summary>
    /// <exception cref="WfdbFormatException">When <paramref name="data"/> is too short or the format unknown.</exception>
    public static int[][] Decode(ReadOnlySpan<byte> data, int format, int signals, long samplesPerSignal, string source)
    {
        if (format is not (212 or 16))
        {
            throw new WfdbFormatException($"{source}: format {format} is not supported (only 212 and 16).");
        }

        if (signals < 0 || samplesPerSignal < 0 || samplesPerSignal > Array.MaxLength)
        {
            throw new WfdbFormatException($"{source}: invalid signal count or length.");
        }

        if (BytesNeeded(format, signals, samplesPerSignal) > data.Length)
        {
            throw new WfdbFormatException(
                $"{source}: truncated data: {samplesPerSignal} samples of {signals} signal(s) need "
                + $"{BytesNeeded(format, signals, samplesPerSignal)} bytes, {data.Length} present.");
        }

        var n = (int)samplesPerSignal;
        var result = new int[signals][];
        for (var s = 0; s < signals; s++)
        {
            result[s] = new int[n];
        }

        if (format == 16)
        {
            DecodeFormat16(data, result, n);
        }
        else
        {
            DecodeFormat212(data, result, n);
        }

        return result;
    }

    private static void DecodeFormat16(ReadOnlySpan<byte> data, int[][] result, int n)
    {
        var signals = result.Length;
        var pos = 0;
        for (var t = 0; t < n; t++)
        {
            for (var s = 0; s < signals; s++)
            {
                result[s][t] = (short)(data[pos] | (data[pos + 1] << 8));
                pos += 2;
            }
        }
    }

    private static void DecodeFormat212(ReadOnlySpan<byte> data, int[][] result, int n)
    {
        // The file is one stream of 12-bit values (frame by frame, signal by signal);
        // each pair of values occupies three bytes.
        var signals = result.Length;
        long total = (long)n * signals;
        for (long v = 0; v < total; v++)
        {
            var pair = (int)(v / 2);
            var b = pair * 3;
            int raw = (v & 1) == 0
                ? data[b] | ((data[b + 1] & 0x0F) << 8)
                : data[b + 2] | ((data[b + 1] & 0xF0) << 4);
            var value = (raw & 0x800) != 0 ? raw - 0x1000 : raw;
            result[(int)(v % signals)][(int)(v / signals)] = value;
        }
    }
}
