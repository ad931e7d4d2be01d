"""Every sentence a reader sees, the grammar helpers that build them, and numbers and money as people say them."""
