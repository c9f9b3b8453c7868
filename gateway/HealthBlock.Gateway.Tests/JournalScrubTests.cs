using HealthBlock.Gateway.Store;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Gateway.Tests;

/// <summary>Readings leave the journal once their batch is committed and the journal reader has passed them, whichever comes last.</summary>
public sealed class JournalScrubTests
{
    [Fact]
    public void Frames_are_cut_when_both_their_commit_and_the_reader_have_passed_them_in_either_order_and_the_backlog_follows()
    {
        using var temp = new TempFolder();
        using var store = GatewayStore.Open(temp.Path);
        Keys.SecretSealer.Open(store, TestKeys.Patient);
        var device = new TestDevice(0x0011_2233_4455_6677, HealthBlock.Crypto.DeviceMac.NewKey());
        using var appender = store.Frames.OpenAppender();
        var sequence = 0u;
        void Append(int frames)
        {
            for (var i = 0; i < frames; i++)
            {
                appender.Append([new FrameToAppend(DeviceFrame.Decode(device.Ecg(sequence: ++sequence)), 1, sequence)]);
            }
        }

        ulong Batch(int frames)
        {
            Append(frames);
            return store.Batches.AssignDue(1, long.MaxValue, TimeSpan.Zero, 1 << 20)!.Value;
        }

        bool Cut(ulong batch) => store.Frames.ForBatch(batch).All(f => f.Bytes.Length <= FrameTags.MaxLength);

        store.ScrubHold = 0;
        var first = Batch(4);
        Assert.Equal(4, store.Backlog());
        store.Batches.MarkCommitted(first, 1, 10);
        Assert.Equal(0, store.Backlog());
        Assert.False(Cut(first));

        var second = Batch(2);
        store.Frames.ScrubCommitted(6);
        Assert.True(Cut(first));
        Assert.False(Cut(second));
        Assert.Equal(2, store.Backlog());
        store.Batches.MarkCommitted(second, 2, 20);
        Assert.True(Cut(second));

        var third = Batch(2);
        store.Batches.MarkCommitted(third, 3, 30);
        Assert.False(Cut(third));
        store.Frames.ScrubCommitted(7);
        Assert.Equal([true, false], store.Frames.ForBatch(third).Select(f => f.Bytes.Length <= FrameTags.MaxLength));
        store.Frames.ScrubCommitted(8);
        Assert.True(Cut(third));

        Append(3);
        Assert.Equal(3, store.Backlog());
        Assert.Equal(11, store.Frames.After(0, 100).Count);
    }
}
