namespace HealthBlock.Analysis;

/// <summary>Receives what the streaming QRS detector finalises, in time order.</summary>
internal interface IQrsSink
{
    /// <summary>A final beat.</summary>
    void Beat(QrsBeat beat);

    /// <summary>A final unreadable span <c>[start, end)</c>; no beat will be reported inside it.</summary>
    void Unreadable(long start, long end, SignalIssue issue);
}
