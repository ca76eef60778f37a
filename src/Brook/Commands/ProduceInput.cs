using System.Buffers;
using System.Buffers.Text;
using Brook.Cli;

namespace Brook.Commands;

/// <summary>Where one parsed input record's fields are in the input buffer (start, length; -1 start when absent).</summary>
public struct ParsedInputRecord
{
    public int KeyStart;
    public int KeyLength;
    public int ValueStart;
    public int ValueLength;
    public int HeadersStart;
    public int HeadersLength;
    public long? Timestamp;
    public int? Partition;
}

/// <summary>
/// Splits produce input into records by a <c>--format</c> template over a growing pooled buffer: a
/// field runs until the literal that follows it in the template, so <c>%k %v\n</c> reads a key up to
/// the first space and a value up to the end of the line. Fields are returned as positions in the
/// buffer (valid until the next read), so nothing is allocated per record.
/// </summary>
public sealed class ProduceInput : IDisposable
{
    private readonly Stream _input;
    private readonly TemplatePart[] _template;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(256 * 1024);
    private int _start;
    private int _end;
    private bool _eof;
    private long _recordNumber;

    public ProduceInput(Stream input, TemplatePart[] template)
    {
        _input = input;
        _template = template;
        foreach (TemplatePart part in template)
        {
            if (part.Field is TemplateField.Topic or TemplateField.Offset or TemplateField.LeaderEpoch or TemplateField.KeyLength or TemplateField.ValueLength
                || part is { Field: TemplateField.Headers, HeaderTemplate: not null })
            {
                throw new UsageException("produce --format takes %k, %v, %h (k=v,k=v), %T and %p");
            }
        }
    }

    public byte[] Buffer => _buffer;

    /// <summary>
    /// The next record, reading more input as needed (blocking: the produce loop runs on its own
    /// thread, because the producer also blocks when its buffer is full); false at the end of the input.
    /// </summary>
    public bool TryRead(out ParsedInputRecord record)
    {
        while (true)
        {
            int consumed = TryParse(_buffer.AsSpan(_start, _end - _start), _eof, out record);
            if (consumed > 0)
            {
                Shift(ref record, _start);
                _start += consumed;
                _recordNumber++;
                return true;
            }
            if (_eof)
            {
                return false;
            }
            if (_start > 0)
            {
                // Compact: the fields returned earlier are no longer in use.
                Array.Copy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }
            if (_end == _buffer.Length)
            {
                byte[] larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
                Array.Copy(_buffer, larger, _end);
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
            }
            int read = _input.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                _eof = true;
            }
            _end += read;
        }
    }

    private static void Shift(ref ParsedInputRecord record, int by)
    {
        if (record.KeyStart >= 0)
        {
            record.KeyStart += by;
        }
        if (record.ValueStart >= 0)
        {
            record.ValueStart += by;
        }
        if (record.HeadersStart >= 0)
        {
            record.HeadersStart += by;
        }
    }

    /// <summary>Parses one record from the front of <paramref name="data"/>; returns the bytes it used, 0 when more input is needed (or none is left).</summary>
    private int TryParse(ReadOnlySpan<byte> data, bool final, out ParsedInputRecord record)
    {
        record = new ParsedInputRecord { KeyStart = -1, ValueStart = -1, HeadersStart = -1 };
        if (data.IsEmpty)
        {
            return 0;
        }
        int position = 0;
        for (int i = 0; i < _template.Length; i++)
        {
            TemplatePart part = _template[i];
            if (part.Field == TemplateField.Literal)
            {
                ReadOnlySpan<byte> rest = data[position..];
                if (rest.StartsWith(part.Literal))
                {
                    position += part.Literal.Length;
                    continue;
                }
                if (final && rest.IsEmpty && i == _template.Length - 1)
                {
                    continue; // the last record lacks its terminator
                }
                if (!final && part.Literal.AsSpan().StartsWith(rest))
                {
                    return 0;
                }
                throw new CliException($"input record {_recordNumber + 1} does not match --format: expected '{System.Text.Encoding.UTF8.GetString(part.Literal)}'");
            }
            int length;
            if (i + 1 < _template.Length)
            {
                length = data[position..].IndexOf(_template[i + 1].Literal);
                if (length < 0)
                {
                    if (!final)
                    {
                        return 0;
                    }
                    length = data.Length - position;
                }
            }
            else
            {
                if (!final)
                {
                    return 0;
                }
                length = data.Length - position;
            }
            ReadOnlySpan<byte> field = data.Slice(position, length);
            switch (part.Field)
            {
                case TemplateField.Key:
                    record.KeyStart = position;
                    record.KeyLength = length;
                    break;
                case TemplateField.Value:
                    record.ValueStart = position;
                    record.ValueLength = length;
                    break;
                case TemplateField.Headers:
                    record.HeadersStart = position;
                    record.HeadersLength = length;
                    break;
                case TemplateField.Timestamp:
                    record.Timestamp = Utf8Parser.TryParse(field, out long timestamp, out int used) && used == field.Length
                        ? timestamp
                        : throw new CliException($"input record {_recordNumber + 1}: %T wants milliseconds");
                    break;
                case TemplateField.Partition:
                    record.Partition = Utf8Parser.TryParse(field, out int partition, out int usedPartition) && usedPartition == field.Length
                        ? partition
                        : throw new CliException($"input record {_recordNumber + 1}: %p wants a partition number");
                    break;
            }
            position += length;
        }
        return position;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }
}
