namespace HealthBlock.Analysis;

/// <summary>Reads WFDB records (header plus signal files in format 212 or 16) from disk or from any stream source.</summary>
/// <example>
/// <code>
/// var record = WfdbReader.ReadRecord("/data/mitdb/100");   // reads 100.hea and 100.dat
/// double[] mv = record.ToPhysical(0);                      // channel 0 (MLII) in millivolts
/// </code>
/// </example>
public static class WfdbReader
{
    /// <summary>Reads and parses <c>PATH.hea</c>.</summary>
    /// <param name="recordPath">Record path without extension, e.g. <c>data/mitdb/100</c>.</param>
    /// <returns>The parsed header.</returns>
    /// <exception cref="WfdbFormatException">When the header is malformed.</exception>
    /// <exception cref="IOException">When the file cannot be read.</exception>
    public static WfdbHeader ReadHeader(string recordPath)
    {
        ArgumentException.ThrowIfNullOrEmpty(recordPath);
        var headerPath = recordPath + ".hea";
        return WfdbHeaderParser.Parse(File.ReadAllText(headerPath), Path.GetFileName(headerPath));
    }

    /// <summary>Reads a whole record: the header and all its signals.</summary>
    /// <param name="recordPath">Record path without extension, e.g. <c>data/mitdb/100</c>.</param>
    /// <param name="verifyChecksums">When true (default), each signal's 16-bit checksum from the header
    /// is verified and a mismatch is reported as corruption.</param>
    /// <returns>The record with per-channel ADC samples.</returns>
    /// <exception cref="WfdbFormatException">When the header or a signal file is malformed, truncated,
    /// fails its checksum or uses an unsupported format.</exception>
    /// <exception cref="IOException">When a file cannot be read.</exception>
    public static WfdbRecord ReadRecord(string recordPath, bool verifyChecksums = true)
    {
        var header = ReadHeader(recordPath);
        var directory = Path.GetDirectoryName(Path.GetFullPath(recordPath + ".hea"))!;
        return ReadSignals(
            header,
            fileName => new FileStream(ResolveSignalFile(directory, fileName), FileMode.Open, FileAccess.Read, FileShare.Read),
            verifyChecksums);
    }

    /// <summary>
    /// Reads a whole record from files that are not on disk (e.g. resources embedded in an assembly):
    /// <paramref name="openFile"/> opens a file of the record by its name (<c>100.hea</c>, <c>100.dat</c>).
    /// </summary>
    /// <param name="recordName">Record name, e.g. <c>100</c>.</param>
    /// <param name="openFile">Opens a readable, seekable stream for a file name of the record.</param>
    /// <param name="verifyChecksums">When true (default), each signal's checksum is verified.</param>
    /// <returns>The record with per-channel ADC samples.</returns>
    /// <exception cref="WfdbFormatException">When the header or a signal file is malformed, truncated,
    /// fails its checksum or uses an unsupported format.</exception>
    /// <exception cref="IOException">When a file cannot be opened or read.</exception>
    public static WfdbRecord ReadRecord(string recordName, Func<string, Stream> openFile, bool verifyChecksums = true)
    {
        ArgumentException.ThrowIfNullOrEmpty(recordName);
        ArgumentNullException.ThrowIfNull(openFile);
        var headerName = recordName + ".hea";
        string text;
        using (var reader = new StreamReader(openFile(headerName)))
        {
            text = reader.ReadToEnd();
        }

        var header = WfdbHeaderParser.Parse(text, headerName);
        return ReadSignals(
            header,
            fileName => fileName == "-" || fileName.Contains('/', StringComparison.Ordinal) || fileName.Contains('\\', StringComparison.Ordinal)
                ? throw new WfdbFormatException($"Signal file '{fileName}' is not a file name of the record.")
                : openFile(fileName),
            verifyChecksums);
    }

    private static WfdbRecord ReadSignals(WfdbHeader header, Func<string, Stream> openSignalFile, bool verifyChecksums)
    {
        var groups = GroupByFile(header);

        var samples = new int[header.Signals.Count][];
        long? sampleCount = header.SampleCount;
        foreach (var (fileName, indices) in groups)
        {
            var first = header.Signals[indices[0]];
            using var stream = openSignalFile(fileName);
            var available = stream.Length - first.ByteOffset;
            if (available < 0)
            {
                throw new WfdbFormatException($"{fileName}: file is shorter than its byte offset {first.ByteOffset}.");
            }

            var perSignal = sampleCount ?? SignalDecoder.SamplesAvailable(first.Format, indices.Count, available);
            var needed = SignalDecoder.BytesNeeded(first.Format, indices.Count, perSignal);
            if (needed > available)
            {
                throw new WfdbFormatException(
                    $"{fileName}: truncated signal file: {perSignal} samples of {indices.Count} signal(s) in format "
                    + $"{first.Format} need {needed} bytes but only {available} are present.");
            }

            if (needed > Array.MaxLength)
            {
                throw new WfdbFormatException($"{fileName}: record too large to read into memory ({needed} bytes).");
            }

            var buffer = new byte[needed];
            stream.Seek(first.ByteOffset, SeekOrigin.Begin);
            stream.ReadExactly(buffer);
            var decoded = SignalDecoder.Decode(buffer, first.Format, indices.Count, perSignal, fileName);
            for (var k = 0; k < indices.Count; k++)
            {
                samples[indices[k]] = decoded[k];
            }

            sampleCount ??= perSignal;
        }

        if (verifyChecksums && header.SampleCount is not null)
        {
            VerifyChecksums(header, samples);
        }

        return new WfdbRecord(header, samples);
    }

    private static List<(string FileName, List<int> Indices)> GroupByFile(WfdbHeader header)
    {
        var groups = new List<(string FileName, List<int> Indices)>();
        for (var i = 0; i < header.Signals.Count; i++)
        {
            var info = header.Signals[i];
            if (info.Format is not (212 or 16))
            {
                throw new WfdbFormatException(
                    $"{header.RecordName}: signal {i} uses format {info.Format}; only formats 212 and 16 are supported.");
            }

            var group = groups.FindIndex(g => g.FileName == info.FileName);
            if (group < 0)
            {
                groups.Add((info.FileName, [i]));
                continue;
            }

            var firstInfo = header.Signals[groups[group].Indices[0]];
            if (firstInfo.Format != info.Format || firstInfo.ByteOffset != info.ByteOffset)
            {
                throw new WfdbFormatException(
                    $"{header.RecordName}: signals in file '{info.FileName}' disagree on format or byte offset.");
            }

            groups[group].Indices.Add(i);
        }

        return groups;
    }

    /// <summary>Resolves a signal file name and refuses names that escape the header's directory.</summary>
    private static string ResolveSignalFile(string directory, string fileName)
    {
        if (fileName == "-" || Path.IsPathRooted(fileName))
        {
            throw new WfdbFormatException($"Signal file '{fileName}' is not a file name relative to the header.");
        }

        var full = Path.GetFullPath(Path.Combine(directory, fileName));
        var root = Path.TrimEndingDirectorySeparator(directory) + Path.DirectorySeparatorChar;
        if (!full.StartsWith(root, StringComparison.Ordinal))
        {
            throw new WfdbFormatException($"Signal file '{fileName}' lies outside the record's directory.");
        }

        return full;
    }

    private static void VerifyChecksums(WfdbHeader header, int[][] samples)
    {
        for (var s = 0; s < samples.Length; s++)
        {
            if (header.Signals[s].Checksum is not { } expected)
            {
                continue;
            }

            var sum = 0;
            foreach (var v in samples[s])
            {
                sum += v;
            }

            if ((short)sum != (short)expected)
            {
                throw new WfdbFormatException(
                    $"{header.RecordName}: checksum mismatch on signal {s} ('{header.Signals[s].Description}'): "
                    + $"header says {expected}, data gives {(short)sum}; the signal file is corrupt.");
            }
        }
    }
}
