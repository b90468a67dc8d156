# Intranet Social: DNS records for {{ canonical }}, written by `intranet-social install`.
# Windows DNS Server: run these lines in PowerShell on the DNS server (or add
# -ComputerName DNSSERVER). -ZoneName is the zone that holds each name; change it if your
# zone is named differently (for social.corp.example in the zone "example", use
# -ZoneName "example" -Name "social.corp").
{% if zone_placeholder %}
$Zone = "corp.example"  # the zone your computers' DNS search suffix names: change it
{% endif %}
{% for record in windows_records %}
{% if record.kind == "CNAME" %}
Add-DnsServerResourceRecordCName -ZoneName {{ record.zone }} -Name "{{ record.name }}" -HostNameAlias "{{ record.value }}"
{% else %}
Add-DnsServerResourceRecordA -ZoneName {{ record.zone }} -Name "{{ record.name }}" -IPv4Address "{{ record.value }}"
{% endif %}
{% endfor %}
