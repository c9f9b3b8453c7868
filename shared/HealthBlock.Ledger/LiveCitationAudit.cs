using HealthBlock.Crypto;
using HealthBlock.Protocol;
using HealthBlock.Protocol.Content;
using HealthBlock.Protocol.Ledger;

namespace HealthBlock.Ledger;

/// <summary>
/// The audit rule for diagnoses that cite live sub-batches (docs/protocol.md, docs/design-notes/ledger-growth.md): every
/// cited <c>(sequence, hash)</c> of a diagnosis about patient P under epoch E must be committed by an IoT transaction
/// signed by P under E whose live anchor spans the sequence, committed no more than <c>periods × period</c> before or
/// after the diagnosis; with the stored bundles (<see cref="VerifyLeavesAsync"/>), the bundle must match its anchor and
/// hold exactly the cited hash at that sequence. Fed with the blocks of both chains in the order they were applied
/// (<see cref="Observe"/>); memory is bounded by the citations awaiting their anchor and the anchors of the last
/// <c>periods × period</c>. A citation whose deadline lies after the last block observed is still pending, not a problem.
/// </summary>
public sealed class LiveCitationAudit
{
    private readonly long _windowMs;
    private readonly Dictionary<(IdentityId Patient, uint Epoch), List<(LiveAnchor Anchor, Cid Cid, long TimeMs)>> _anchors = [];
    private readonly List<(string Tx, IdentityId Patient, uint Epoch, LiveCitation Cite, long TimeMs)> _pending = [];
    private readonly List<(string Tx, IdentityId Patient, uint Epoch, LiveCitation Cite, LiveAnchor Anchor, Cid Cid)> _resolved = [];
    private readonly List<LiveCitationProblem> _problems = [];
    private long _lastTimeMs;

    /// <summary>Creates the rule for an IoT period of <paramref name="period"/> and a deadline of <paramref name="periods"/> periods.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The period is not positive or fewer than one period is allowed.</exception>
    public LiveCitationAudit(TimeSpan period, int periods = 2)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(periods, 1);
        _windowMs = (long)(period.TotalMilliseconds * periods);
    }

    /// <summary>Citations found backed by a committed live anchor in time.</summary>
    public int Backed => _resolved.Count;

    /// <summary>Citations still waiting for their anchor whose deadline has not passed.</summary>
    public int Pending => _pending.Count;

    /// <summary>The problems found so far.</summary>
    public IReadOnlyList<LiveCitationProblem> Problems => _problems;

    /// <summary>Takes the next applied block (of either chain).</summary>
    public void Observe(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var time = block.Header.TimeMs;
        _lastTimeMs = Math.Max(_lastTimeMs, time);
        foreach (var tx in block.Transactions)
        {
            switch (tx.Body.Payload)
            {
                case IotPayload { Live: { } anchor } iot:
                    var key = (tx.Body.Signer, iot.Epoch);
                    if (!_anchors.TryGetValue(key, out var list))
                    {
                        _anchors[key] = list = [];
                    }

                    list.Add((anchor, iot.Cid, time));
                    break;
                case DiagnosisPayload { Citations.Count: > 0 } diagnosis:
                    foreach (var cite in diagnosis.Citations)
                    {
                        _pending.Add((tx.IdHex, diagnosis.Patient, diagnosis.Epoch, cite, time));
                    }

                    break;
            }
        }

        Resolve();
    }

    /// <summary>
    /// Checks each backed citation against its stored bundle: the bundle matches the anchor that committed it and holds
    /// the cited hash at the cited sequence. Returns the problems found (also added to <see cref="Problems"/>).
    /// </summary>
    /// <param name="fetch">Reads a stored block by CID (checked against it); a <see cref="ProtocolException"/> it throws (a block no store holds) makes each citation of it a problem.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    public async Task<IReadOnlyList<LiveCitationProblem>> VerifyLeavesAsync(Func<Cid, CancellationToken, Task<byte[]>> fetch, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fetch);
        var found = new List<LiveCitationProblem>();
        var bundles = new Dictionary<string, (LiveBundle? Bundle, string? Error)>(StringComparer.Ordinal);
        foreach (var (tx, patient, epoch, cite, anchor, cid) in _resolved)
        {
            if (!bundles.TryGetValue(cid.ToString(), out var entry))
            {
                try
                {
                    var bundle = LiveBundle.Decode(await fetch(cid, cancellationToken).ConfigureAwait(false));
                    bundle.Verify(patient, epoch, anchor);
                    entry = (bundle, null);
                }
                catch (ProtocolException e)
                {
                    entry = (null, $"the bundle {cid} is missing or does not match its IoT transaction: {e.Message}");
                }

                bundles[cid.ToString()] = entry;
            }

            var index = entry.Bundle is { } b ? Array.IndexOf(b.Sequences(), cite.Sequence) : -1;
            var problem = entry.Error
                ?? (index < 0 ? $"the committed bundle {cid} holds no sub-batch {cite.Sequence}"
                : !LiveBatch.Hash(entry.Bundle!.SealedBatches[index]).AsSpan().SequenceEqual(cite.Hash) ? $"the cited hash differs from the sub-batch the bundle {cid} commits" : null);
            if (problem is not null)
            {
                found.Add(new LiveCitationProblem(tx, patient, epoch, cite.Sequence, problem));
            }
        }

        _problems.AddRange(found);
        return found;
    }

    private void Resolve()
    {
        for (var i = _pending.Count - 1; i >= 0; i--)
        {
            var (tx, patient, epoch, cite, time) = _pending[i];
            var anchor = _anchors.TryGetValue((patient, epoch), out var list)
                ? list.FirstOrDefault(a => a.Anchor.Spans(cite.Sequence) && Math.Abs(a.TimeMs - time) <= _windowMs)
                : default;
            if (anchor.Anchor is not null)
            {
                _resolved.Add((tx, patient, epoch, cite, anchor.Anchor, anchor.Cid));
                _pending.RemoveAt(i);
            }
            else if (_lastTimeMs - time > _windowMs)
            {
                _problems.Add(new LiveCitationProblem(tx, patient, epoch, cite.Sequence, $"no IoT transaction of the patient under epoch {epoch} committed it within {_windowMs / 1000.0:0.#} s of the diagnosis"));
                _pending.RemoveAt(i);
            }
        }

        foreach (var list in _anchors.Values)
        {
            list.RemoveAll(a => _lastTimeMs - a.TimeMs > 2 * _windowMs);
        }
    }
}
