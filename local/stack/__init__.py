"""The offline stack: template.yaml provisioned on moto, with the functions run in-process."""
