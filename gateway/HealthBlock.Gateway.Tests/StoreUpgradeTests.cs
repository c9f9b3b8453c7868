using HealthBlock.Gateway.Store;
using HealthBlock.Protocol.Frames;
using Microsoft.Data.Sqlite;

namespace HealthBlock.Gateway.Tests;

public sealed class StoreUpgradeTests
{
    [Fact]
    public void A_schema_1_database_keeps_its_frames_devices_and_nonce_counter_after_the_upgrade()
    {
        using var temp = new TempFolder();
        var device = new TestDevice(0x0123_4567_89ab_cdef, HealthBlock.Crypto.DeviceMac.NewKey());
        var frame = device.Ecg(sequence: 41);
        using (var c = new SqliteConnection($"Data Source={Path.Combine(temp.Path, GatewayStore.FileName)};Pooling=False"))
        {
            c.Open();
            using var cmd = c.CreateCommand();
            // The schema the gateway wrote before schema 2, with one device, one journalled frame and a nonce counter.
            cmd.CommandText = """
                CREATE TABLE meta (name TEXT PRIMARY KEY, value BLOB NOT NULL);
                CREATE TABLE devices (device INTEGER PRIMARY KEY, sealed_key BLOB NOT NULL, state TEXT NOT NULL, paired_ms INTEGER NOT NULL, last_seq INTEGER);
                CREATE TABLE frames (id INTEGER PRIMARY KEY AUTOINCREMENT, device INTEGER NOT NULL, seq INTEGER NOT NULL, kind INTEGER NOT NULL,
                    ts_ms INTEGER NOT NULL, received_ms INTEGER NOT NULL, bytes BLOB NOT NULL, batch INTEGER, UNIQUE (device, seq));
                CREATE INDEX frames_unbatched ON frames (batch, id);
                CREATE TABLE gaps (device INTEGER NOT NULL, first_missing INTEGER NOT NULL, last_missing INTEGER NOT NULL, at_ms INTEGER NOT NULL);
                CREATE TABLE batches (number INTEGER PRIMARY KEY, epoch INTEGER NOT NULL, first_frame INTEGER NOT NULL, last_frame INTEGER NOT NULL,
                    frame_count INTEGER NOT NULL, state TEXT NOT NULL, cid TEXT, tx BLOB, tx_id TEXT, height INTEGER, created_ms INTEGER NOT NULL, committed_ms INTEGER);
                CREATE TABLE epochs (epoch INTEGER PRIMARY KEY, sealed_iot_key BLOB NOT NULL, created_ms INTEGER NOT NULL, key_tx_id TEXT);
                CREATE TABLE doctors (doctor TEXT PRIMARY KEY, signing_key BLOB NOT NULL, encryption_key BLOB NOT NULL,
                    sealed_diagnosis_key BLOB NOT NULL, authorised INTEGER NOT NULL, changed_ms INTEGER NOT NULL);
                CREATE TABLE rejections (reason TEXT PRIMARY KEY, count INTEGER NOT NULL);
                INSERT INTO meta (name, value) VALUES ('schema', 1);
                INSERT INTO meta (name, value) VALUES ('counter:patient-nonce', $nonce);
                INSERT INTO devices (device, sealed_key, state, paired_ms) VALUES ($d, x'00', 'Active', 5);
                INSERT INTO frames (id, device, seq, kind, ts_ms, received_ms, bytes) VALUES (17, $d, 41, 1, 1, 2, $b);
                """;
            cmd.Parameters.AddWithValue("$nonce", BitConverter.GetBytes(7ul));
            cmd.Parameters.AddWithValue("$d", unchecked((long)device.Id));
            cmd.Parameters.AddWithValue("$b", frame);
            cmd.ExecuteNonQuery();
        }

        using var store = GatewayStore.Open(temp.Path);

        // Schema 4: the frame an older schema left in clear is sealed the first time the local key is opened.
        byte[] Stored() => store.Run(c => (byte[])Data.SqliteStatements.Scalar(c, null, "SELECT bytes FROM frames WHERE id = 17")!);
        Assert.Equal(frame, Stored());
        Keys.SecretSealer.Open(store, TestKeys.Patient);
        Assert.Equal(frame.Length + Crypto.Aead.Overhead, Stored().Length);
        Assert.Equal(-1, Stored().AsSpan().IndexOf(frame.AsSpan(FrameLayout.HeaderSize, 32)));
        Assert.Null(store.Meta.Get("frames_in_clear"));

        Assert.Equal(8ul, new StoreNonceCounter(store).Take());
        Assert.Equal(1, store.Devices.Get(device.Id)!.Pairing);
        var activity = Assert.Single(store.Devices.Activity());
        Assert.Equal((41L, 2L, 1L), (activity.LastSequence!.Value, activity.LastFrameMs!.Value, activity.Frames));
        Assert.Equal(1, store.Backlog());
        var number = store.Batches.AssignDue(1, long.MaxValue, TimeSpan.Zero, 1 << 20)!.Value;
        var journalled = Assert.Single(store.Frames.ForBatch(number));
        Assert.Equal(frame, journalled.Bytes);
        Assert.Equal(DeviceFrame.Decode(frame).DurationMs, journalled.DurationMs);

        // A new frame gets the next id after the copied ones.
        using var appender = store.Frames.OpenAppender();
        var next = appender.Append([new FrameToAppend(DeviceFrame.Decode(device.Ecg(sequence: 42)), 1, 3)]);
        Assert.Equal(18, next[0].FrameId);
        Assert.Equal(Journal.AppendOutcome.Replay, appender.Append([new FrameToAppend(DeviceFrame.Decode(device.Ecg(samples: [1], sequence: 40)), 1, 4)])[0].Outcome);
    }
}
