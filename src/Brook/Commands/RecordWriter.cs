using System.Buffers;
using System.Buffers.Text;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Brook.Client;
using Brook.Client.Consuming;
using Brook.Protocol.Compression;
using Brook.Protocol.Records;

namespace Brook.Commands;

/// <summary>
/// Writes consumed records into a pooled buffer, as JSON objects (one per line, or indented) or by a
/// <c>--format</c> template, copying straight from the fetched batch: nothing is allocated per
/// record. Also enforces <c>-n</c> and the per-partition stop offsets and times, and remembers what
/// it emitted so a group commits only what was printed.
/// </summary>
public sealed class RecordWriter : IRecordHandler, IDisposable
{
    private static readonly byte[] Newline = "\n"u8.ToArray();
    private readonly TemplatePart[]? _template;
    private readonly PooledBufferWriter _buffer = new(1024 * 1024);
    private readonly Utf8JsonWriter? _json;
    private readonly long _limit;
    private readonly Dictionary<TopicPartition, long> _stopOffsets;
    private readonly long? _stopTimestamp;

    public RecordWriter(TemplatePart[]? template, bool pretty, long limit, Dictionary<TopicPartition, long> stopOffsets, long? stopTimestamp)
    {
        _template = template;
        _limit = limit;
        _stopOffsets = stopOffsets;
        _stopTimestamp = stopTimestamp;
        if (template is null)
        {
            _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions
            {
                Indented = pretty,
                SkipValidation = true,
                Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
            });
        }
    }

    /// <summary>Records written so far.</summary>
    public long Written { get; private set; }

    public long BytesWritten { get; private set; }

    public bool LimitReached => _limit > 0 && Written >= _limit;

    /// <summary>The next offset after the last record written, per partition.</summary>
    public Dictionary<TopicPartition, long> Emitted { get; } = [];

    /// <summary>Partitions that passed their stop offset or time.</summary>
    public HashSet<TopicPartition> Finished { get; } = [];

    public ReadOnlyMemory<byte> Pending => _buffer.WrittenMemory;

    public void ClearPending()
    {
        BytesWritten += _buffer.WrittenCount;
        _buffer.Clear();
    }

    public void OnRecord(in ConsumedRecord record)
    {
        if (LimitReached)
        {
            return;
        }
        var partition = new TopicPartition(record.Topic, record.Partition);
        if (_stopOffsets.Count > 0 && _stopOffsets.TryGetValue(partition, out long stop) && record.Offset >= stop)
        {
            Finished.Add(partition);
            return;
        }
        if (_stopTimestamp is { } until && record.Timestamp >= until)
        {
            Finished.Add(partition);
            return;
        }
        if (_json is not null)
        {
            WriteJson(_json, record);
        }
        else
        {
            WriteTemplate(_template!, record);
        }
        Written++;
        Emitted[partition] = record.Offset + 1;
    }

    private void WriteJson(Utf8JsonWriter json, in ConsumedRecord record)
    {
        json.Reset(_buffer);
        json.WriteStartObject();
        json.WriteString("topic"u8, record.Topic);
        json.WriteNumber("partition"u8, record.Partition);
        json.WriteNumber("offset"u8, record.Offset);
        json.WriteNumber("timestamp"u8, record.Timestamp);
        WriteBytes(json, "key"u8, record.Key, record.KeyIsNull);
        WriteBytes(json, "value"u8, record.Value, record.ValueIsNull);
        json.WriteStartArray("headers"u8);
        foreach (RecordHeader header in record.Headers)
        {
            json.WriteStartObject();
            WriteBytes(json, "key"u8, header.Key, isNull: false);
            WriteBytes(json, "value"u8, header.Value, header.ValueIsNull);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        _buffer.Write(Newline);
    }

    /// <summary>UTF-8 text as a JSON string; other bytes as base64 (JSON strings cannot carry them).</summary>
    private static void WriteBytes(Utf8JsonWriter json, ReadOnlySpan<byte> name, ReadOnlySpan<byte> bytes, bool isNull)
    {
        if (isNull)
        {
            json.WriteNull(name);
        }
        else if (Utf8.IsValid(bytes))
        {
            json.WriteString(name, bytes);
        }
        else
        {
            json.WriteBase64String(name, bytes);
        }
    }

    private void WriteTemplate(TemplatePart[] template, in ConsumedRecord record)
    {
        foreach (TemplatePart part in template)
        {
            switch (part.Field)
            {
                case TemplateField.Literal:
                    _buffer.Write(part.Literal);
                    break;
                case TemplateField.Topic:
                    WriteText(record.Topic);
                    break;
                case TemplateField.Key:
                    _buffer.Write(record.Key);
                    break;
                case TemplateField.Value:
                    _buffer.Write(record.Value);
                    break;
                case TemplateField.KeyLength:
                    WriteNumber(record.KeyIsNull ? -1 : record.Key.Length);
                    break;
                case TemplateField.ValueLength:
                    WriteNumber(record.ValueIsNull ? -1 : record.Value.Length);
                    break;
                case TemplateField.Timestamp:
                    WriteNumber(record.Timestamp);
                    break;
                case TemplateField.Partition:
                    WriteNumber(record.Partition);
                    break;
                case TemplateField.Offset:
                    WriteNumber(record.Offset);
                    break;
                case TemplateField.LeaderEpoch:
                    WriteNumber(record.LeaderEpoch);
                    break;
                case TemplateField.Headers:
                    WriteHeaders(part.HeaderTemplate, record);
                    break;
            }
        }
    }

    private void WriteHeaders(TemplatePart[]? perHeader, in ConsumedRecord record)
    {
        bool first = true;
        foreach (RecordHeader header in record.Headers)
        {
            if (perHeader is null)
            {
                if (!first)
                {
                    _buffer.Write(","u8);
                }
                _buffer.Write(header.Key);
                _buffer.Write("="u8);
                _buffer.Write(header.Value);
            }
            else
            {
                foreach (TemplatePart part in perHeader)
                {
                    switch (part.Field)
                    {
                        case TemplateField.Literal:
                            _buffer.Write(part.Literal);
                            break;
                        case TemplateField.Key:
                            _buffer.Write(header.Key);
                            break;
                        case TemplateField.Value:
                            _buffer.Write(header.Value);
                            break;
                        case TemplateField.KeyLength:
                            WriteNumber(header.Key.Length);
                            break;
                        case TemplateField.ValueLength:
                            WriteNumber(header.ValueIsNull ? -1 : header.Value.Length);
                            break;
                    }
                }
            }
            first = false;
        }
    }

    private void WriteNumber(long value)
    {
        Span<byte> span = _buffer.GetSpan(20);
        Utf8Formatter.TryFormat(value, span, out int written);
        _buffer.Advance(written);
    }

    private void WriteText(string text)
    {
        Span<byte> span = _buffer.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        _buffer.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    public void Dispose()
    {
        _json?.Dispose();
        _buffer.Dispose();
    }
}
